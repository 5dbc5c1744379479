import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/storage/storeError.js';
import type { EntryChange, Store } from '../../src/storage/store.js';
import { BACKENDS, NOW, daysAgo, useBackendStores } from './support.js';

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

describe.each(BACKENDS)('%s', (backend) => {
  const temp = useBackendStores(backend);

  describe('server entries', () => {
    it('are kept per server, in the order they were added, with who last edited them', async () => {
      const store = await temp.open();
      const result = await store.saveGuildEntries('g1', [change(store, 'Study group'), change(store, 'Resume review')], KEEP_FIVE);
      expect(result).toMatchObject({ ok: true, added: 2, updated: 0 });
      expect(await store.guildEntries('g1')).toEqual([
        { id: 1, guildId: 'g1', title: 'Study group', questions: ['where is study group'], answer: 'All about Study group.', link: null, editedBy: 'mod', editedAt: NOW },
        expect.objectContaining({ id: 2, title: 'Resume review' }),
      ]);
      expect(await store.guildEntries('g2')).toEqual([]);
    });

    it('are replaced by id, or by title (in any case) when asked, and refuse a title another entry has', async () => {
      const store = await temp.open();
      await store.saveGuildEntries('g1', [change(store, 'Study group'), change(store, 'Rules')], KEEP_FIVE);
      expect(await store.saveGuildEntries('g1', [change(store, 'study GROUP')], KEEP_FIVE)).toEqual({ ok: false, problem: 'title-taken', title: 'study GROUP' });
      expect(await store.saveGuildEntries('g1', [change(store, 'Rules', { id: 1 })], KEEP_FIVE)).toEqual({ ok: false, problem: 'title-taken', title: 'Rules' });
      expect(await store.saveGuildEntries('g1', [change(store, 'Study group', { id: 9 })], KEEP_FIVE)).toEqual({ ok: false, problem: 'missing', id: 9 });
      expect(await store.saveGuildEntries('g2', [change(store, 'Study group', { id: 1 })], KEEP_FIVE)).toEqual({ ok: false, problem: 'missing', id: 1 });

      expect(await store.saveGuildEntries('g1', [change(store, 'Study group (Thursdays)', { id: 1 })], KEEP_FIVE)).toMatchObject({ ok: true, updated: 1 });
      const replaced = await store.saveGuildEntries('g1', [change(store, 'RULES', { answer: 'Be kind.' }), change(store, 'Events')], { maxEntries: 5, sameTitle: 'replace' });
      expect(replaced).toMatchObject({ ok: true, added: 1, updated: 1 });
      expect((await store.guildEntries('g1')).map((e) => [e.id, e.title])).toEqual([
        [1, 'Study group (Thursdays)'],
        [2, 'RULES'],
        [3, 'Events'],
      ]);
    });

    it('are refused as a whole past the limit, and nothing is written', async () => {
      const store = await temp.open();
      await store.saveGuildEntries('g1', [change(store, 'One'), change(store, 'Two')], KEEP_FIVE);
      const result = await store.saveGuildEntries('g1', [change(store, 'Three'), change(store, 'Four')], { maxEntries: 3, sameTitle: 'refuse' });
      expect(result).toEqual({ ok: false, problem: 'limit', limit: 3 });
      expect((await store.guildEntries('g1')).map((e) => e.title)).toEqual(['One', 'Two']);
      expect((await store.saveGuildEntries('g2', [change(store, 'Three'), change(store, 'Four')], { maxEntries: 3, sameTitle: 'refuse' })).ok).toBe(true);
    });

    it('are validated before they are written', async () => {
      const store = await temp.open();
      await expect(store.saveGuildEntries('g1', [change(store, 'Long', { answer: 'x'.repeat(1501) })], KEEP_FIVE)).rejects.toThrow(StoreError);
      await expect(store.saveGuildEntries('g1', [change(store, 'Linked', { link: 'javascript:alert(1)' })], KEEP_FIVE)).rejects.toThrow(/link is not a web address/);
      expect(await store.guildEntries('g1')).toEqual([]);
    });

    it('are removed with the phrasings taught to them, in their server only', async () => {
      const store = await temp.open();
      await store.saveGuildEntries('g1', [change(store, 'Study group')], KEEP_FIVE);
      await store.teach({ guildId: 'g1', phrasing: 'when do we meet', passageId: 'faq:1', taughtAt: NOW }, 10);
      await store.teach({ guildId: 'g1', phrasing: 'what is data drift exactly', passageId: 'shared/drift', taughtAt: NOW }, 10);
      expect(await store.removeGuildEntry('g2', 1, 'faq:1')).toBeUndefined();
      expect(await store.removeGuildEntry('g1', 1, 'faq:1')).toMatchObject({ id: 1, title: 'Study group' });
      expect(await store.guildEntries('g1')).toEqual([]);
      expect((await store.taughtPhrasings('g1')).map((t) => t.phrasing)).toEqual(['what is data drift exactly']);
    });

    it('lose their editor’s name when the editor is forgotten', async () => {
      const store = await temp.open();
      await store.saveGuildEntries('g1', [change(store, 'Study group')], KEEP_FIVE);
      expect(await store.forgetMember(store.memberHash('800000000000000001'))).toBe(1);
      expect((await store.guildEntries('g1'))[0]!.editedBy).toBeNull();
    });

    it('are refused on read when a row was corrupted, naming the table', async () => {
      const store = await temp.open();
      await store.saveGuildEntries('g1', [change(store, 'Study group')], KEEP_FIVE);
      await temp.sql(`UPDATE guild_entries SET answer = '' WHERE id = 1`);
      await expect(store.guildEntries('g1')).rejects.toThrow(/invalid row in table guild_entries \(id 1\): answer: the answer is empty/);
    });
  });

  describe('taught phrasings', () => {
    const taught = (guildId: string, phrasing: string, passageId = 'shared/drift') => ({ guildId, phrasing, passageId, taughtAt: NOW });

    it('are kept per server, one passage per phrasing in any case, up to the limit', async () => {
      const store = await temp.open();
      expect(await store.teach(taught('g1', 'what is drift'), 2)).toBe(true);
      expect(await store.teach(taught('g1', 'WHAT IS DRIFT', 'shared/other'), 2)).toBe(true);
      expect(await store.teach(taught('g1', 'is drift bad'), 2)).toBe(true);
      expect(await store.teach(taught('g1', 'one too many'), 2)).toBe(false);
      expect(await store.teach(taught('g2', 'one too many'), 2)).toBe(true);
      expect((await store.taughtPhrasings('g1')).map((t) => [t.phrasing, t.passageId])).toEqual([
        ['WHAT IS DRIFT', 'shared/other'],
        ['is drift bad', 'shared/drift'],
      ]);
      expect((await store.taughtPhrasings()).map((t) => t.guildId)).toEqual(['g1', 'g1', 'g2']);
    });

    it('are forgotten on request, in their server only', async () => {
      const store = await temp.open();
      await store.teach(taught('g1', 'what is drift'), 2);
      await store.teach(taught('g2', 'what is drift'), 2);
      expect(await store.unteach('g1', 'What Is Drift')).toBe(true);
      expect(await store.unteach('g1', 'what is drift')).toBe(false);
      expect((await store.taughtPhrasings()).map((t) => t.guildId)).toEqual(['g2']);
    });
  });

  describe('servers with their own knowledge', () => {
    it('are listed with their entries and taught phrasings, the most recently active first, however they were active', async () => {
      const store = await temp.open();
      const asked = (guildId: string, askedAt: Date) =>
        store.logQuestions([{ guildId, asker: store.memberHash('900000000000000001'), question: 'when do we meet', answered: false, confidence: 0.1, unmatchedTerms: [], passageIds: [], via: 'slash', askedAt }]);
      await store.saveGuildEntries('edited', [change(store, 'One', { editedAt: daysAgo(3) }), change(store, 'Two', { editedAt: daysAgo(2) })], KEEP_FIVE);
      await store.teach({ guildId: 'edited', phrasing: 'when is it', passageId: 'faq:1', taughtAt: daysAgo(9) }, 10);
      await store.teach({ guildId: 'taught', phrasing: 'what is drift', passageId: 'shared/drift', taughtAt: daysAgo(1) }, 10);
      await store.saveGuildEntries('asked', [change(store, 'Rules', { editedAt: daysAgo(30) })], KEEP_FIVE);
      await asked('asked', daysAgo(0.5));
      await asked('only-asked', NOW);
      await store.saveGuildEntries('tie', [change(store, 'Rules', { editedAt: daysAgo(2) })], KEEP_FIVE);

      expect(await store.guildsWithOwnKnowledge()).toEqual([
        { guildId: 'asked', entriesAndPhrasings: 1, lastActiveAt: daysAgo(0.5) },
        { guildId: 'taught', entriesAndPhrasings: 1, lastActiveAt: daysAgo(1) },
        { guildId: 'edited', entriesAndPhrasings: 3, lastActiveAt: daysAgo(2) },
        { guildId: 'tie', entriesAndPhrasings: 1, lastActiveAt: daysAgo(2) },
      ]);
    });

    it('are none in a new database', async () => {
      const store = await temp.open();
      expect(await store.guildsWithOwnKnowledge()).toEqual([]);
    });
  });
});
