import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/storage/sqliteStore.js';
import { defaultGuildSettings, type GuildSettings } from '../../src/storage/store.js';
import { NOW, useTempStores } from './support.js';

const temp = useTempStores();

const tips: NonNullable<GuildSettings['tips']> = {
  channelId: 'c-tips',
  time: '09:30',
  timeZone: 'Europe/Berlin',
  enabled: true,
  disabledReason: null,
};

describe('guild settings', () => {
  it('are the defaults until changed', () => {
    expect(temp.open().settings('g1')).toEqual(defaultGuildSettings('g1'));
  });

  it('apply a change and return the stored result', () => {
    const store = temp.open();
    const updated = store.updateSettings('g1', (s) => ({ ...s, autoAnswer: false, replyMode: 'thread', retentionDays: 7 }));
    expect(updated).toEqual({ ...defaultGuildSettings('g1'), autoAnswer: false, replyMode: 'thread', retentionDays: 7 });
    expect(store.settings('g1')).toEqual(updated);
    expect(store.settings('g2')).toEqual(defaultGuildSettings('g2'));
  });

  it('reject an invalid change and keep what was stored', () => {
    const store = temp.open();
    store.updateSettings('g1', (s) => ({ ...s, minConfidence: 0.7 }));

    expect(() => store.updateSettings('g1', (s) => ({ ...s, minConfidence: 2 }))).toThrow(StoreError);
    expect(() => store.updateSettings('g1', (s) => ({ ...s, minConfidence: 2 }))).toThrow(/minConfidence/);
    expect(() => store.updateSettings('g1', (s) => ({ ...s, guildId: 'g2' }))).toThrow(/name guild g2/);
    expect(() => store.updateSettings('g1', () => { throw new Error('change failed'); })).toThrow('change failed');
    expect(store.settings('g1').minConfidence).toBe(0.7);
    expect(store.settings('g2')).toEqual(defaultGuildSettings('g2'));
  });

  it('saved before threads and forum tags were settings read with their defaults, and keep them once set', () => {
    const store = temp.open();
    store.updateSettings('g1', (s) => ({ ...s, autoAnswer: false }));
    temp.connect().exec(`UPDATE guild_settings SET settings = json_remove(settings, '$.watchThreads', '$.forumTags') WHERE guild_id = 'g1'`);
    expect(store.settings('g1')).toEqual({ ...defaultGuildSettings('g1'), autoAnswer: false });
    const forumTags = { '666666666666666600': { answered: '888888888888888801', solved: null } };
    store.updateSettings('g1', (s) => ({ ...s, watchThreads: false, forumTags }));
    expect(store.settings('g1')).toMatchObject({ watchThreads: false, forumTags });
  });

  it('list the servers whose tips are on', () => {
    const store = temp.open();
    store.updateSettings('on', (s) => ({ ...s, tips }));
    store.updateSettings('off', (s) => ({ ...s, tips: { ...tips, enabled: false, disabledReason: 'channel deleted' } }));
    store.updateSettings('none', (s) => ({ ...s, autoAnswer: false }));
    expect(store.guildsWithTips()).toEqual([{ ...defaultGuildSettings('on'), tips }]);
  });

  it.each([
    ['invalid JSON', `'{"guildId": "g1",'`, /settings: is not valid JSON/],
    ['an out-of-range value', `json_set(settings, '$.minConfidence', 3)`, /settings\.minConfidence: Too big/],
    ['a missing field', `json_remove(settings, '$.replyMode')`, /settings\.replyMode/],
    ['another guild id inside', `json_set(settings, '$.guildId', 'g2')`, /settings\.guildId differs from guild_id/],
  ])('refuse a row corrupted with %s, naming the file and table', (_kind, corruption, problem) => {
    const store = temp.open();
    store.updateSettings('g1', (s) => ({ ...s, tips }));
    temp.connect().exec(`UPDATE guild_settings SET settings = ${corruption} WHERE guild_id = 'g1'`);

    for (const read of [() => store.settings('g1'), () => store.guildsWithTips(), () => store.updateSettings('g1', (s) => s)]) {
      expect(read).toThrow(StoreError);
      expect(read).toThrow(`${temp.file()}: invalid row in table guild_settings (guild_id g1)`);
      expect(read).toThrow(problem);
    }
  });
});

describe('opt-outs', () => {
  it('are kept per server and member', () => {
    const store = temp.open();
    const member = store.memberHash('123456789012345678');
    const other = store.memberHash('876543210987654321');
    store.setOptedOut('g1', member, true);
    store.setOptedOut('g1', member, true);
    expect([store.isOptedOut('g1', member), store.isOptedOut('g2', member), store.isOptedOut('g1', other)]).toEqual([true, false, false]);
    store.setOptedOut('g1', member, false);
    expect(store.isOptedOut('g1', member)).toBe(false);
  });
});

describe('member hashes', () => {
  it('are keyed SHA-256 hex digests, stable per id and distinct between ids and data directories', () => {
    const store = temp.open();
    const hash = store.memberHash('123456789012345678');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(store.memberHash('123456789012345678')).toBe(hash);
    expect(store.memberHash('123456789012345679')).not.toBe(hash);
    const elsewhere = temp.open({ dataDir: join(temp.dir(), 'elsewhere') });
    expect(elsewhere.memberHash('123456789012345678')).not.toBe(hash);
  });

  it('never leave a member id in clear in the database files', () => {
    const memberId = '123456789012345678';
    const store = temp.open();
    const member = store.memberHash(memberId);
    store.setOptedOut('g1', member, true);
    store.logQuestions([{
      guildId: 'g1',
      asker: member,
      question: 'Is a PhD needed?',
      answered: false,
      confidence: 0.2,
      unmatchedTerms: ['phd'],
      passageIds: [],
      via: 'channel',
      askedAt: NOW,
    }]);
    const files = ['', '-wal'].map((suffix) => `${temp.file()}${suffix}`).filter((file) => existsSync(file));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(file).includes(memberId)).toBe(false);
  });

  it('are the only member references the tables accept', () => {
    const store = temp.open();
    expect(() => store.setOptedOut('g1', '123456789012345678' as never, true)).toThrow(/CHECK constraint failed/);
  });
});
