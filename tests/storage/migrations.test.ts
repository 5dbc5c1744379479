import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/storage/migrations.js';
import { StoreError } from '../../src/storage/sqliteStore.js';
import { NOW, useTempStores } from './support.js';

const temp = useTempStores();

describe('migrations', () => {
  it('create every table in a new file, in WAL mode, and record the schema version', async () => {
    await temp.open().close();
    const db = temp.connect();
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['answers', 'guild_entries', 'guild_settings', 'meta', 'opt_outs', 'questions', 'taught_phrasings', 'tip_posts', 'tip_rounds', 'votes']);
  });

  it('create the data directory and use fileName', async () => {
    const dataDir = join(temp.dir(), 'nested', 'data');
    await temp.open({ dataDir, fileName: 'bot.sqlite' }).close();
    expect(existsSync(join(dataDir, 'bot.sqlite'))).toBe(true);
  });

  it('keep all data across a restart, including the member hashes', async () => {
    const first = temp.open();
    const asker = first.memberHash('111111111111111111');
    const voter = first.memberHash('222222222222222222');
    await first.updateSettings('g1', (s) => ({ ...s, minConfidence: 0.8, watchedChannelIds: ['c1'] }));
    await first.recordAnswer({
      messageId: 'm1',
      guildId: 'g1',
      channelId: 'c1',
      asker,
      questionMessageId: 'q1',
      passageIds: ['p1'],
      confidence: 0.9,
      postedAt: NOW,
    });
    await first.vote('m1', voter, -1);
    await first.logQuestions([{
      guildId: 'g1',
      asker,
      question: 'How do I get into ML?',
      answered: true,
      confidence: 0.9,
      unmatchedTerms: ['kaggle'],
      passageIds: ['p1'],
      via: 'slash',
      askedAt: NOW,
    }]);
    await first.setOptedOut('g1', voter, true);
    expect(await first.claimTipDay('g1', '2030-06-15', 'tip-a', NOW)).toBe(true);
    await first.close();
    await first.close(); // idempotent

    const second = temp.open();
    expect(second.memberHash('111111111111111111')).toBe(asker);
    expect(await second.settings('g1')).toMatchObject({ minConfidence: 0.8, watchedChannelIds: ['c1'] });
    expect(await second.answer({ guildId: 'g1', channelId: 'c1', messageId: 'm1' })).toMatchObject({ asker, passageIds: ['p1'], postedAt: NOW });
    expect(await second.tally('m1')).toEqual({ helpful: 0, notHelpful: 1 });
    expect(await second.knowledgeStats('g1', NOW)).toMatchObject({ questions30d: 1, unmatchedTerms: [{ term: 'kaggle', count: 1 }] });
    expect(await second.isOptedOut('g1', voter)).toBe(true);
    expect(await second.claimTipDay('g1', '2030-06-15', 'tip-b', NOW)).toBe(false);
    expect(await second.lastTipPost('g1')).toMatchObject({ tipId: 'tip-a', status: 'claimed' });
  });

  it('refuse a file written by a newer version, naming the file and leaving its version alone', async () => {
    await temp.open().close();
    const db = temp.connect();
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();

    expect(() => temp.open()).toThrow(StoreError);
    expect(() => temp.open()).toThrow(`${temp.file()} has schema version ${MIGRATIONS.length + 1}`);
    expect(() => temp.open()).toThrow(/upgrade the bot/);
    expect(temp.connect().pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
  });
});
