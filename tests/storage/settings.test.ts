import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/storage/storeError.js';
import { defaultGuildSettings, type GuildSettings } from '../../src/storage/store.js';
import { BACKENDS, NOW, useBackendStores, useTempStores } from './support.js';

const tips: NonNullable<GuildSettings['tips']> = {
  channelId: 'c-tips',
  time: '09:30',
  timeZone: 'Europe/Berlin',
  enabled: true,
  disabledReason: null,
};

describe.each(BACKENDS)('%s', (backend) => {
  const temp = useBackendStores(backend);

  describe('guild settings', () => {
    it('are the defaults until changed', async () => {
      expect(await (await temp.open()).settings('g1')).toEqual(defaultGuildSettings('g1'));
    });

    it('apply a change and return the stored result', async () => {
      const store = await temp.open();
      const updated = await store.updateSettings('g1', (s) => ({ ...s, autoAnswer: false, replyMode: 'thread', retentionDays: 7 }));
      expect(updated).toEqual({ ...defaultGuildSettings('g1'), autoAnswer: false, replyMode: 'thread', retentionDays: 7 });
      expect(await store.settings('g1')).toEqual(updated);
      expect(await store.settings('g2')).toEqual(defaultGuildSettings('g2'));
    });

    it('reject an invalid change and keep what was stored', async () => {
      const store = await temp.open();
      await store.updateSettings('g1', (s) => ({ ...s, minConfidence: 0.7 }));

      await expect(store.updateSettings('g1', (s) => ({ ...s, minConfidence: 2 }))).rejects.toThrow(StoreError);
      await expect(store.updateSettings('g1', (s) => ({ ...s, minConfidence: 2 }))).rejects.toThrow(/minConfidence/);
      await expect(store.updateSettings('g1', (s) => ({ ...s, guildId: 'g2' }))).rejects.toThrow(/name guild g2/);
      await expect(store.updateSettings('g1', () => { throw new Error('change failed'); })).rejects.toThrow('change failed');
      expect((await store.settings('g1')).minConfidence).toBe(0.7);
      expect(await store.settings('g2')).toEqual(defaultGuildSettings('g2'));
    });

    it('saved before threads and forum tags were settings read with their defaults, and keep them once set', async () => {
      const store = await temp.open();
      await store.updateSettings('g1', (s) => ({ ...s, autoAnswer: false }));
      await temp.sql(`UPDATE guild_settings SET settings = replace(settings, ',"watchThreads":true,"forumTags":{}', '') WHERE guild_id = 'g1'`);
      expect(await temp.sql(`SELECT settings FROM guild_settings WHERE guild_id = 'g1'`)).not.toContainEqual({ settings: expect.stringContaining('watchThreads') });
      expect(await store.settings('g1')).toEqual({ ...defaultGuildSettings('g1'), autoAnswer: false });
      const forumTags = { '666666666666666600': { answered: '888888888888888801', solved: null } };
      await store.updateSettings('g1', (s) => ({ ...s, watchThreads: false, forumTags }));
      expect(await store.settings('g1')).toMatchObject({ watchThreads: false, forumTags });
    });

    it('list the servers whose tips are on', async () => {
      const store = await temp.open();
      await store.updateSettings('on', (s) => ({ ...s, tips }));
      await store.updateSettings('off', (s) => ({ ...s, tips: { ...tips, enabled: false, disabledReason: 'channel deleted' } }));
      await store.updateSettings('none', (s) => ({ ...s, autoAnswer: false }));
      expect(await store.guildsWithTips()).toEqual([{ ...defaultGuildSettings('on'), tips }]);
    });

    it.each([
      ['invalid JSON', `'{"guildId": "g1",'`, /settings: is not valid JSON/],
      ['an out-of-range value', `replace(settings, '"minConfidence":null', '"minConfidence":3')`, /settings\.minConfidence: Too big/],
      ['a missing field', `replace(settings, '"replyMode":"reply",', '')`, /settings\.replyMode/],
      ['another guild id inside', `replace(settings, '"guildId":"g1"', '"guildId":"g2"')`, /settings\.guildId differs from guild_id/],
    ])('refuse a row corrupted with %s, naming the database and table', async (_kind, corruption, problem) => {
      const store = await temp.open();
      await store.updateSettings('g1', (s) => ({ ...s, tips }));
      await temp.sql(`UPDATE guild_settings SET settings = ${corruption} WHERE guild_id = 'g1'`);

      for (const read of [() => store.settings('g1'), () => store.guildsWithTips(), () => store.updateSettings('g1', (s) => s)]) {
        await expect(read()).rejects.toThrow(StoreError);
        await expect(read()).rejects.toThrow(`${temp.location()}: invalid row in table guild_settings (guild_id g1)`);
        await expect(read()).rejects.toThrow(problem);
      }
    });
  });

  describe('opt-outs', () => {
    it('are kept per server and member', async () => {
      const store = await temp.open();
      const member = store.memberHash('123456789012345678');
      const other = store.memberHash('876543210987654321');
      await store.setOptedOut('g1', member, true);
      await store.setOptedOut('g1', member, true);
      expect([await store.isOptedOut('g1', member), await store.isOptedOut('g2', member), await store.isOptedOut('g1', other)]).toEqual([true, false, false]);
      await store.setOptedOut('g1', member, false);
      expect(await store.isOptedOut('g1', member)).toBe(false);
    });
  });

  describe('member hashes', () => {
    it('are keyed SHA-256 hex digests, stable per id and distinct between ids', async () => {
      const store = await temp.open();
      const hash = store.memberHash('123456789012345678');
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(store.memberHash('123456789012345678')).toBe(hash);
      expect(store.memberHash('123456789012345679')).not.toBe(hash);
    });

    it('are the only member references the tables accept', async () => {
      const store = await temp.open();
      await expect(store.setOptedOut('g1', '123456789012345678' as never, true)).rejects.toThrow(/check constraint/i);
    });
  });
});

describe('member hashes in SQLite', () => {
  const temp = useTempStores();

  it('differ between data directories', () => {
    const hash = temp.open().memberHash('123456789012345678');
    expect(temp.open({ dataDir: join(temp.dir(), 'elsewhere') }).memberHash('123456789012345678')).not.toBe(hash);
  });

  it('never leave a member id in clear in the database files', async () => {
    const memberId = '123456789012345678';
    const store = temp.open();
    const member = store.memberHash(memberId);
    await store.setOptedOut('g1', member, true);
    await store.logQuestions([{
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
});
