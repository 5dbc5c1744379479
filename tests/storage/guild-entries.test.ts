import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/storage/sqliteStore.js';
import type { EntryChange, Store } from '../../src/storage/store.js';
import { NOW, useTempStores } from './support.js';

const temp = useTempStores();

function change(store: Store, title: string, overrides: Partial<EntryChange> = {}): EntryChange {
  return {
    title,
    questions: [`where is ${title.toLowerCase()}`],
    answer: `All about ${title}.`,
    link: null,
    editor: { member: store.memberHash('800000000000000001'), name: 'mod' },
    editedAt: NOW,
    ...overrides,
  };
}

const KEEP_FIVE = { maxEntries: 5, sameTitle: 'refuse' } as const;

describe('server entries', () => {
  it('are kept per server, in the order they were added, with who last edited them', () => {
    const store = temp.open();
    const result = store.saveGuildEntries('g1', [change(store, 'Study group'), change(store, 'Resume review')], KEEP_FIVE);
    expect(result).toMatchObject({ ok: true, added: 2, updated: 0 });
    expect(store.guildEntries('g1')).toEqual([
      { id: 1, guildId: 'g1', title: 'Study group', questions: ['where is study group'], answer: 'All about Study group.', link: null, editedBy: 'mod', editedAt: NOW },
      expect.objectContaining({ id: 2, title: 'Resume review' }),
    ]);
    expect(store.guildEntries('g2')).toEqual([]);
  });

  it('are replaced by id, or by title (in any case) when asked, and refuse a title another entry has', () => {
    const store = temp.open();
    store.saveGuildEntries('g1', [change(store, 'Study group'), change(store, 'Rules')], KEEP_FIVE);
    expect(store.saveGuildEntries('g1', [change(store, 'study GROUP')], KEEP_FIVE)).toEqual({ ok: false, problem: 'title-taken', title: 'study GROUP' });
    expect(store.saveGuildEntries('g1', [change(store, 'Rules', { id: 1 })], KEEP_FIVE)).toEqual({ ok: false, problem: 'title-taken', title: 'Rules' });
    expect(store.saveGuildEntries('g1', [change(store, 'Study group', { id: 9 })], KEEP_FIVE)).toEqual({ ok: false, problem: 'missing', id: 9 });
    expect(store.saveGuildEntries('g2', [change(store, 'Study group', { id: 1 })], KEEP_FIVE)).toEqual({ ok: false, problem: 'missing', id: 1 });

    expect(store.saveGuildEntries('g1', [change(store, 'Study group (Thursdays)', { id: 1 })], KEEP_FIVE)).toMatchObject({ ok: true, updated: 1 });
    const replaced = store.saveGuildEntries('g1', [change(store, 'RULES', { answer: 'Be kind.' }), change(store, 'Events')], { maxEntries: 5, sameTitle: 'replace' });
    expect(replaced).toMatchObject({ ok: true, added: 1, updated: 1 });
    expect(store.guildEntries('g1').map((e) => [e.id, e.title])).toEqual([
      [1, 'Study group (Thursdays)'],
      [2, 'RULES'],
      [3, 'Events'],
    ]);
  });

  it('are refused as a whole past the limit, and nothing is written', () => {
    const store = temp.open();
    store.saveGuildEntries('g1', [change(store, 'One'), change(store, 'Two')], KEEP_FIVE);
    const result = store.saveGuildEntries('g1', [change(store, 'Three'), change(store, 'Four')], { maxEntries: 3, sameTitle: 'refuse' });
    expect(result).toEqual({ ok: false, problem: 'limit', limit: 3 });
    expect(store.guildEntries('g1').map((e) => e.title)).toEqual(['One', 'Two']);
    expect(store.saveGuildEntries('g2', [change(store, 'Three'), change(store, 'Four')], { maxEntries: 3, sameTitle: 'refuse' }).ok).toBe(true);
  });

  it('are validated before they are written', () => {
    const store = temp.open();
    expect(() => store.saveGuildEntries('g1', [change(store, 'Long', { answer: 'x'.repeat(1501) })], KEEP_FIVE)).toThrow(StoreError);
    expect(() => store.saveGuildEntries('g1', [change(store, 'Linked', { link: 'javascript:alert(1)' })], KEEP_FIVE)).toThrow(/link is not a web address/);
    expect(store.guildEntries('g1')).toEqual([]);
  });

  it('are removed with the phrasings taught to them, in their server only', () => {
    const store = temp.open();
    store.saveGuildEntries('g1', [change(store, 'Study group')], KEEP_FIVE);
    store.teach({ guildId: 'g1', phrasing: 'when do we meet', passageId: 'faq:1', taughtAt: NOW }, 10);
    store.teach({ guildId: 'g1', phrasing: 'what is data drift exactly', passageId: 'shared/drift', taughtAt: NOW }, 10);
    expect(store.removeGuildEntry('g2', 1, 'faq:1')).toBeUndefined();
    expect(store.removeGuildEntry('g1', 1, 'faq:1')).toMatchObject({ id: 1, title: 'Study group' });
    expect(store.guildEntries('g1')).toEqual([]);
    expect(store.taughtPhrasings('g1').map((t) => t.phrasing)).toEqual(['what is data drift exactly']);
  });

  it('lose their editor’s name when the editor is forgotten', () => {
    const store = temp.open();
    store.saveGuildEntries('g1', [change(store, 'Study group')], KEEP_FIVE);
    expect(store.forgetMember(store.memberHash('800000000000000001'))).toBe(1);
    expect(store.guildEntries('g1')[0]!.editedBy).toBeNull();
  });

  it('are refused on read when a row was corrupted, naming the table', () => {
    const store = temp.open();
    store.saveGuildEntries('g1', [change(store, 'Study group')], KEEP_FIVE);
    temp.connect().exec(`UPDATE guild_entries SET answer = '' WHERE id = 1`);
    expect(() => store.guildEntries('g1')).toThrow(/invalid row in table guild_entries \(id 1\): answer: the answer is empty/);
  });
});

describe('taught phrasings', () => {
  const taught = (guildId: string, phrasing: string, passageId = 'shared/drift') => ({ guildId, phrasing, passageId, taughtAt: NOW });

  it('are kept per server, one passage per phrasing in any case, up to the limit', () => {
    const store = temp.open();
    expect(store.teach(taught('g1', 'what is drift'), 2)).toBe(true);
    expect(store.teach(taught('g1', 'WHAT IS DRIFT', 'shared/other'), 2)).toBe(true);
    expect(store.teach(taught('g1', 'is drift bad'), 2)).toBe(true);
    expect(store.teach(taught('g1', 'one too many'), 2)).toBe(false);
    expect(store.teach(taught('g2', 'one too many'), 2)).toBe(true);
    expect(store.taughtPhrasings('g1').map((t) => [t.phrasing, t.passageId])).toEqual([
      ['WHAT IS DRIFT', 'shared/other'],
      ['is drift bad', 'shared/drift'],
    ]);
    expect(store.taughtPhrasings().map((t) => t.guildId)).toEqual(['g1', 'g1', 'g2']);
  });

  it('are forgotten on request, in their server only', () => {
    const store = temp.open();
    store.teach(taught('g1', 'what is drift'), 2);
    store.teach(taught('g2', 'what is drift'), 2);
    expect(store.unteach('g1', 'What Is Drift')).toBe(true);
    expect(store.unteach('g1', 'what is drift')).toBe(false);
    expect(store.taughtPhrasings().map((t) => t.guildId)).toEqual(['g2']);
  });
});
