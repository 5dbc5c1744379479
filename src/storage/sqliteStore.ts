import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { computeKnowledgeStats, DAY_MS } from './knowledgeStats.js';
import { KEY_CHECK_META_KEY, memberHash, MemberHashKey, memberHashKeyCheck, memberHashKeyFor } from './memberHashKey.js';
import { migrate, refuseNewerSchema, schemaVersion } from './migrations.js';
import {
  answerRow,
  answerVotesRow,
  entryRow,
  guildKnowledgeRow,
  hexRow,
  optOutRow,
  parseRow,
  questionRow,
  settingsRow,
  tallyRow,
  taughtRow,
  tipIdRow,
  tipPostRow,
} from './rows.js';
import {
  defaultGuildSettings,
  type EntryChange,
  type EntrySaveResult,
  type GuildEntry,
  type GuildSettings,
  type MemberHash,
  type PostedAnswer,
  type QuestionRecord,
  type Store,
  type TaughtPhrasing,
  type VoteValue,
} from './store.js';
import { StoreError } from './storeError.js';
import { entryValues, Refusal, validSettings } from './writes.js';

export { StoreError } from './storeError.js';

export const DEFAULT_DATABASE_FILE = 'ml-career-bot.sqlite';
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/**
 * Once open, a write waits at most this long for another process's write lock. better-sqlite3 waits
 * synchronously, holding up every other interaction, and Discord allows 3 s for an answer.
 */
const WRITE_BUSY_TIMEOUT_MS = 500;
/** Recording questions is best-effort and retried later: it hardly waits at all. */
const QUESTION_LOG_BUSY_TIMEOUT_MS = 10;

export interface SqliteStoreOptions {
  dataDir: string;
  fileName?: string;
  /** Clock for timestamps of writes whose method takes no `now` (settings, opt-outs, votes, tip rounds). */
  now?: () => Date;
  /** How long opening (and migrating) waits for another process's write lock before giving up. */
  busyTimeoutMs?: number;
  /** The member hash key (MEMBER_HASH_KEY), instead of the key file in `dataDir`. */
  memberHashKey?: string;
}

/** Rows as better-sqlite3 returns them, before validation. */
type Row = Record<string, unknown>;

/** The round a server's tips are in: 0 until it first starts a new one. */
const CURRENT_ROUND = '(SELECT COALESCE(MAX(round), 0) FROM tip_rounds WHERE guild_id = @guildId)';

/** The latest question still kept is read from the index on (guild_id, asked_at): one lookup a server. */
const GUILDS_WITH_OWN_KNOWLEDGE = `
  WITH own AS (
    SELECT guild_id, COUNT(*) AS items, MAX(edited_at) AS active_at FROM guild_entries GROUP BY guild_id
    UNION ALL
    SELECT guild_id, COUNT(*), MAX(taught_at) FROM taught_phrasings GROUP BY guild_id
  )
  SELECT guild_id, SUM(items) AS entries_and_phrasings,
    MAX(MAX(active_at), COALESCE((SELECT MAX(asked_at) FROM questions WHERE questions.guild_id = own.guild_id), 0)) AS last_active_at
  FROM own GROUP BY guild_id ORDER BY last_active_at DESC, guild_id`;

const guildIdRow = z.object({ guild_id: z.string() }).transform((row) => row.guild_id);

/** Opens (creating or migrating as needed) the database in `dataDir`. Never resets or deletes an existing file. */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  const file = join(options.dataDir, options.fileName ?? DEFAULT_DATABASE_FILE);
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const memberHashKey = new MemberHashKey(options.dataDir, options.memberHashKey);
  createDataDir(options.dataDir);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: busyTimeoutMs });
    // The first read: finds a file that is not a database, and refuses a newer schema before anything is written.
    refuseNewerSchema(schemaVersion(db), file);
    refuseDamagedPages(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, { file, memberHashKey });
    const store = createStore(db, file, checkedMemberHashKey(db, file, memberHashKey), options.now ?? (() => new Date()));
    // Opening may wait for another process; after that, a write must not hold up every interaction (see questionLog.ts).
    db.pragma(`busy_timeout = ${Math.min(busyTimeoutMs, WRITE_BUSY_TIMEOUT_MS)}`);
    return store;
  } catch (error) {
    db?.close();
    throw explainOpenFailure(error, file, busyTimeoutMs);
  }
}

/**
 * A damaged page anywhere is found at start, with a message, rather than as a query failing later. It reads
 * the whole file once: some 40 ms for 30,000 logged questions.
 */
function refuseDamagedPages(db: Database.Database, file: string): void {
  const verdict = db.pragma('quick_check(1)', { simple: true });
  if (verdict !== 'ok') throw corrupt(file, new Error(String(verdict)));
}

const corrupt = (file: string, cause: unknown) => new StoreError(`${file} is corrupt: move it away and restore a backup`, { cause });

function createDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new StoreError(`Cannot create the data directory ${dataDir}: ${(error as Error).message}`, { cause: error });
  }
}

/** Turns SQLite's terse codes into a message naming the file and what the operator can do. */
function explainOpenFailure(error: unknown, file: string, busyTimeoutMs: number): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  const problem = (code: string) => error.code === code || error.code.startsWith(`${code}_`);
  if (problem('SQLITE_NOTADB')) {
    return new StoreError(`${file} is not a SQLite database: move it away or restore a backup`, { cause: error });
  }
  if (problem('SQLITE_BUSY') || problem('SQLITE_LOCKED')) {
    return new StoreError(
      `${file} is locked by another process (waited ${busyTimeoutMs} ms): stop the other bot instance or try again`,
      { cause: error },
    );
  }
  if (problem('SQLITE_CORRUPT')) return corrupt(file, error);
  if (problem('SQLITE_CANTOPEN') || problem('SQLITE_READONLY') || problem('SQLITE_PERM')) {
    return new StoreError(`${file} cannot be opened for writing: check the data directory and the file's permissions`, {
      cause: error,
    });
  }
  return new StoreError(`${file}: ${error.message}`, { cause: error });
}

function prepareStatements(db: Database.Database) {
  return {
    settings: db.prepare<[string], Row>('SELECT guild_id, settings FROM guild_settings WHERE guild_id = ?'),
    allSettings: db.prepare<[], Row>('SELECT guild_id, settings FROM guild_settings ORDER BY guild_id'),
    saveSettings: db.prepare<[{ guildId: string; settings: string; updatedAt: number }]>(
      `INSERT INTO guild_settings (guild_id, settings, updated_at) VALUES (@guildId, @settings, @updatedAt)
       ON CONFLICT (guild_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
    ),

    optOut: db.prepare<[string, string], Row>('SELECT * FROM opt_outs WHERE guild_id = ? AND member_hash = ?'),
    addOptOut: db.prepare<[string, string, number]>(
      'INSERT INTO opt_outs (guild_id, member_hash, opted_out_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    removeOptOut: db.prepare<[string, string]>('DELETE FROM opt_outs WHERE guild_id = ? AND member_hash = ?'),

    saveAnswer: db.prepare<[Record<string, string | number>]>(
      `INSERT INTO answers (message_id, guild_id, channel_id, asker_hash, question_message_id, passage_ids, confidence, posted_at)
       VALUES (@messageId, @guildId, @channelId, @asker, @questionMessageId, @passageIds, @confidence, @postedAt)
       ON CONFLICT (message_id) DO UPDATE SET
         guild_id = excluded.guild_id, channel_id = excluded.channel_id, asker_hash = excluded.asker_hash,
         question_message_id = excluded.question_message_id, passage_ids = excluded.passage_ids,
         confidence = excluded.confidence, posted_at = excluded.posted_at`,
    ),
    answer: db.prepare<[{ guildId: string; channelId: string; messageId: string }], Row>(
      'SELECT * FROM answers WHERE message_id = @messageId AND guild_id = @guildId AND channel_id = @channelId',
    ),
    answerExists: db.prepare<[string], Row>('SELECT 1 FROM answers WHERE message_id = ?'),
    // Its votes go with it (ON DELETE CASCADE).
    deleteAnswer: db.prepare<[string]>('DELETE FROM answers WHERE message_id = ?'),

    saveVote: db.prepare<[string, string, number, number]>(
      `INSERT INTO votes (message_id, voter_hash, value, voted_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (message_id, voter_hash) DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at`,
    ),
    tally: db.prepare<[string], Row>(
      'SELECT SUM(value = 1) AS helpful, SUM(value = -1) AS notHelpful FROM votes WHERE message_id = ?',
    ),
    answerVotes: db.prepare<[string], Row>(
      `SELECT a.message_id, a.passage_ids, SUM(v.value = 1) AS helpful, SUM(v.value = -1) AS notHelpful
       FROM answers a JOIN votes v ON v.message_id = a.message_id
       WHERE a.guild_id = ? GROUP BY a.message_id`,
    ),

    logQuestion: db.prepare<[Record<string, string | number>]>(
      `INSERT INTO questions (guild_id, asker_hash, question, answered, confidence, unmatched_terms, passage_ids, via, asked_at)
       VALUES (@guildId, @asker, @question, @answered, @confidence, @unmatchedTerms, @passageIds, @via, @askedAt)`,
    ),
    questionsBetween: db.prepare<[string, number, number], Row>(
      'SELECT * FROM questions WHERE guild_id = ? AND asked_at > ? AND asked_at <= ? ORDER BY asked_at, id',
    ),
    guildsWithQuestions: db.prepare<[], Row>('SELECT DISTINCT guild_id FROM questions'),
    deleteQuestionsBefore: db.prepare<[string, number]>('DELETE FROM questions WHERE guild_id = ? AND asked_at < ?'),

    // forgetMember runs these in this order: votes on the member's answers go before the answers themselves,
    // so that every deleted row is counted (cascaded deletes are not).
    forgetMember: [
      'DELETE FROM votes WHERE message_id IN (SELECT message_id FROM answers WHERE asker_hash = ?)',
      'DELETE FROM answers WHERE asker_hash = ?',
      'DELETE FROM votes WHERE voter_hash = ?',
      'DELETE FROM questions WHERE asker_hash = ?',
      'DELETE FROM opt_outs WHERE member_hash = ?',
      'UPDATE guild_entries SET edited_by_hash = NULL, edited_by_name = NULL WHERE edited_by_hash = ?',
    ].map((sql) => db.prepare<[string]>(sql)),

    entries: db.prepare<[string], Row>('SELECT * FROM guild_entries WHERE guild_id = ? ORDER BY id'),
    entryCount: db.prepare<[string], number>('SELECT COUNT(*) FROM guild_entries WHERE guild_id = ?').pluck(),
    entryIdByTitle: db.prepare<[string, string], number>('SELECT id FROM guild_entries WHERE guild_id = ? AND title = ? COLLATE NOCASE').pluck(),
    entryExists: db.prepare<[string, number], Row>('SELECT 1 FROM guild_entries WHERE guild_id = ? AND id = ?'),
    insertEntry: db.prepare<[Record<string, string | number | null>], Row>(
      `INSERT INTO guild_entries (guild_id, title, questions, answer, link, edited_by_hash, edited_by_name, edited_at)
       VALUES (@guildId, @title, @questions, @answer, @link, @editorHash, @editorName, @editedAt) RETURNING *`,
    ),
    updateEntry: db.prepare<[Record<string, string | number | null>], Row>(
      `UPDATE guild_entries SET title = @title, questions = @questions, answer = @answer, link = @link,
         edited_by_hash = @editorHash, edited_by_name = @editorName, edited_at = @editedAt
       WHERE guild_id = @guildId AND id = @id RETURNING *`,
    ),
    removeEntry: db.prepare<[string, number], Row>('DELETE FROM guild_entries WHERE guild_id = ? AND id = ? RETURNING *'),

    taught: db.prepare<[string], Row>('SELECT * FROM taught_phrasings WHERE guild_id = ? ORDER BY taught_at, phrasing'),
    allTaught: db.prepare<[], Row>('SELECT * FROM taught_phrasings ORDER BY guild_id, taught_at, phrasing'),
    taughtCount: db.prepare<[string], number>('SELECT COUNT(*) FROM taught_phrasings WHERE guild_id = ?').pluck(),
    taughtExists: db.prepare<[string, string], Row>('SELECT 1 FROM taught_phrasings WHERE guild_id = ? AND phrasing = ? COLLATE NOCASE'),
    teach: db.prepare<[{ guildId: string; phrasing: string; passageId: string; taughtAt: number }]>(
      `INSERT INTO taught_phrasings (guild_id, phrasing, passage_id, taught_at) VALUES (@guildId, @phrasing, @passageId, @taughtAt)
       ON CONFLICT (guild_id, phrasing COLLATE NOCASE) DO UPDATE SET
         phrasing = excluded.phrasing, passage_id = excluded.passage_id, taught_at = excluded.taught_at`,
    ),
    unteach: db.prepare<[string, string]>('DELETE FROM taught_phrasings WHERE guild_id = ? AND phrasing = ? COLLATE NOCASE'),
    unteachPassage: db.prepare<[string, string]>('DELETE FROM taught_phrasings WHERE guild_id = ? AND passage_id = ?'),
    guildsWithOwnKnowledge: db.prepare<[], Row>(GUILDS_WITH_OWN_KNOWLEDGE),

    // One statement, so SQLite's write lock makes it atomic across processes; `changes` says who won.
    claimTipDay: db.prepare<[{ guildId: string; localDay: string; tipId: string; claimedAt: number }]>(
      `INSERT INTO tip_posts (guild_id, local_day, tip_id, status, message_id, claimed_at, round)
       VALUES (@guildId, @localDay, @tipId, 'claimed', NULL, @claimedAt, ${CURRENT_ROUND})
       ON CONFLICT (guild_id, local_day) DO UPDATE SET
         tip_id = excluded.tip_id, status = excluded.status, message_id = NULL, claimed_at = excluded.claimed_at, round = excluded.round
       WHERE tip_posts.status = 'failed'`,
    ),
    markTipPost: db.prepare<[{ guildId: string; localDay: string; status: string; messageId: string | null }]>(
      'UPDATE tip_posts SET status = @status, message_id = @messageId WHERE guild_id = @guildId AND local_day = @localDay',
    ),
    lastTipPost: db.prepare<[string], Row>('SELECT * FROM tip_posts WHERE guild_id = ? ORDER BY local_day DESC LIMIT 1'),
    tipsUsedThisRound: db.prepare<[{ guildId: string }], Row>(
      `SELECT tip_id FROM tip_posts WHERE guild_id = @guildId AND round = ${CURRENT_ROUND} AND status != 'failed'
       GROUP BY tip_id ORDER BY MIN(local_day)`,
    ),
    startNewTipRound: db.prepare<[{ guildId: string; startedAt: number }]>(
      `INSERT INTO tip_rounds (guild_id, round, started_at) SELECT @guildId, ${CURRENT_ROUND} + 1, @startedAt`,
    ),
  };
}

/** The member hash key, checked against the one the database's hashes were made with (see memberHashKeyFor). */
function checkedMemberHashKey(db: Database.Database, file: string, source: MemberHashKey): Buffer {
  const storedCheck = () => {
    const row = db.prepare<[string], Row>('SELECT value FROM meta WHERE key = ?').get(KEY_CHECK_META_KEY);
    return row === undefined ? undefined : parseRow(file, 'meta', `key ${KEY_CHECK_META_KEY}`, hexRow, row).value;
  };
  const key = memberHashKeyFor(source, storedCheck(), file);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING').run(KEY_CHECK_META_KEY, memberHashKeyCheck(key));
  // Again: another process may have stored its check first.
  return Buffer.from(memberHashKeyFor(source, storedCheck(), file), 'hex');
}

function createStore(db: Database.Database, file: string, memberHashKey: Buffer, clock: () => Date): Store {
  const statements = prepareStatements(db);
  const read = <T>(table: string, rowKey: string, schema: z.ZodType<T>, row: unknown): T =>
    parseRow(file, table, rowKey, schema, row);

  const recentQuestions = (guildId: string, now: Date): QuestionRecord[] =>
    statements.questionsBetween.all(guildId, now.getTime() - 30 * DAY_MS, now.getTime()).map((row) => read('questions', `id ${String(row.id)}`, questionRow, row));

  const settings = (guildId: string): GuildSettings => {
    const row = statements.settings.get(guildId);
    return row === undefined ? defaultGuildSettings(guildId) : read('guild_settings', `guild_id ${guildId}`, settingsRow, row);
  };

  const tally = (messageId: string) => read('votes', `message_id ${messageId}`, tallyRow, statements.tally.get(messageId));

  // Immediate transactions take the write lock before reading, so a read-modify-write cannot interleave with
  // another process's.
  const updateSettings = db.transaction((guildId: string, change: (current: GuildSettings) => GuildSettings) => {
    const next = validSettings(guildId, change(settings(guildId)));
    statements.saveSettings.run({ guildId, settings: JSON.stringify(next), updatedAt: clock().getTime() });
    return next;
  });

  const vote = db.transaction((messageId: string, voter: MemberHash, value: VoteValue) => {
    if (statements.answerExists.get(messageId) === undefined) {
      throw new StoreError(`No recorded answer with message id ${messageId}: only the bot's answers can be voted on`);
    }
    statements.saveVote.run(messageId, voter, value, clock().getTime());
    return tally(messageId);
  });

  const purgeExpiredQuestions = db.transaction((now: Date) => {
    let deleted = 0;
    for (const row of statements.guildsWithQuestions.all()) {
      const guildId = read('questions', 'guild_id', guildIdRow, row);
      const cutoff = now.getTime() - settings(guildId).retentionDays * DAY_MS;
      deleted += statements.deleteQuestionsBefore.run(guildId, cutoff).changes;
    }
    return deleted;
  });

  const logQuestions = db.transaction((records: readonly QuestionRecord[]) => {
    for (const record of records) {
      statements.logQuestion.run({
        guildId: record.guildId,
        asker: record.asker,
        question: record.question,
        answered: record.answered ? 1 : 0,
        confidence: record.confidence,
        unmatchedTerms: JSON.stringify(record.unmatchedTerms),
        passageIds: JSON.stringify(record.passageIds),
        via: record.via,
        askedAt: record.askedAt.getTime(),
      });
    }
  });

  const entry = (row: Row): GuildEntry => read('guild_entries', `id ${String(row.id)}`, entryRow, row);
  const taught = (row: Row): TaughtPhrasing => read('taught_phrasings', `guild_id ${String(row.guild_id)}`, taughtRow, row);

  const saveGuildEntries = db.transaction(
    (guildId: string, changes: readonly EntryChange[], options: { maxEntries: number; sameTitle: 'replace' | 'refuse' }): EntrySaveResult => {
      const saved: GuildEntry[] = [];
      let added = 0;
      for (const change of changes) {
        const values = entryValues(guildId, change);
        const titled = statements.entryIdByTitle.get(guildId, values.title);
        let id = change.id;
        if (id !== undefined && statements.entryExists.get(guildId, id) === undefined) throw new Refusal({ ok: false, problem: 'missing', id });
        if (titled !== undefined && titled !== id) {
          if (id !== undefined || options.sameTitle === 'refuse') throw new Refusal({ ok: false, problem: 'title-taken', title: values.title });
          id = titled;
        }
        if (id === undefined) added++;
        saved.push(entry(id === undefined ? statements.insertEntry.get(values)! : statements.updateEntry.get({ ...values, id })!));
      }
      if (statements.entryCount.get(guildId)! > options.maxEntries) throw new Refusal({ ok: false, problem: 'limit', limit: options.maxEntries });
      return { ok: true, saved, added, updated: saved.length - added };
    },
  );

  const removeGuildEntry = db.transaction((guildId: string, id: number, passageId: string) => {
    const removed = statements.removeEntry.get(guildId, id);
    if (removed === undefined) return undefined;
    statements.unteachPassage.run(guildId, passageId);
    return entry(removed);
  });

  const teach = db.transaction((phrasing: TaughtPhrasing, maxPhrasings: number) => {
    const known = statements.taughtExists.get(phrasing.guildId, phrasing.phrasing) !== undefined;
    if (!known && statements.taughtCount.get(phrasing.guildId)! >= maxPhrasings) return false;
    statements.teach.run({ ...phrasing, taughtAt: phrasing.taughtAt.getTime() });
    return true;
  });

  const forgetMember = db.transaction((member: MemberHash) =>
    statements.forgetMember.reduce((deleted, statement) => deleted + statement.run(member).changes, 0),
  );

  return {
    memberHash: (userId) => memberHash(memberHashKey, userId),

    settings: async (guildId) => settings(guildId),
    updateSettings: async (guildId, change) => updateSettings.immediate(guildId, change),
    guildsWithTips: async () =>
      statements.allSettings
        .all()
        .map((row) => read('guild_settings', `guild_id ${String(row.guild_id)}`, settingsRow, row))
        .filter((s) => s.tips?.enabled === true),

    isOptedOut: async (guildId, member) => {
      const row = statements.optOut.get(guildId, member);
      if (row === undefined) return false;
      read('opt_outs', `guild_id ${guildId}`, optOutRow, row);
      return true;
    },
    setOptedOut: async (guildId, member, optedOut) => {
      if (optedOut) statements.addOptOut.run(guildId, member, clock().getTime());
      else statements.removeOptOut.run(guildId, member);
    },

    recordAnswer: async (answer: PostedAnswer) => {
      statements.saveAnswer.run({
        messageId: answer.messageId,
        guildId: answer.guildId,
        channelId: answer.channelId,
        asker: answer.asker,
        questionMessageId: answer.questionMessageId,
        passageIds: JSON.stringify(answer.passageIds),
        confidence: answer.confidence,
        postedAt: answer.postedAt.getTime(),
      });
    },
    answer: async (where) => {
      const row = statements.answer.get(where);
      return row === undefined ? undefined : read('answers', `message_id ${where.messageId}`, answerRow, row);
    },
    deleteAnswer: async (messageId) => {
      statements.deleteAnswer.run(messageId);
    },

    vote: async (messageId, voter, value) => vote.immediate(messageId, voter, value),
    tally: async (messageId) => tally(messageId),

    logQuestions: async (records) => {
      const writeBusyTimeoutMs = db.pragma('busy_timeout', { simple: true }) as number;
      db.pragma(`busy_timeout = ${QUESTION_LOG_BUSY_TIMEOUT_MS}`);
      try {
        logQuestions(records);
      } finally {
        db.pragma(`busy_timeout = ${writeBusyTimeoutMs}`);
      }
    },
    knowledgeStats: async (guildId, now) => {
      const answers = statements.answerVotes
        .all(guildId)
        .map((row) => read('answers', `message_id ${String(row.message_id)}`, answerVotesRow, row));
      return computeKnowledgeStats(recentQuestions(guildId, now), answers, now);
    },
    recentQuestions: async (guildId, now) => recentQuestions(guildId, now),
    purgeExpiredQuestions: async (now) => purgeExpiredQuestions.immediate(now),
    forgetMember: async (member) => forgetMember.immediate(member),

    guildEntries: async (guildId) => statements.entries.all(guildId).map(entry),
    saveGuildEntries: async (guildId, changes, options) => {
      try {
        return saveGuildEntries.immediate(guildId, changes, options);
      } catch (error) {
        if (error instanceof Refusal) return error.result;
        throw error;
      }
    },
    removeGuildEntry: async (guildId, id, passageId) => removeGuildEntry.immediate(guildId, id, passageId),
    taughtPhrasings: async (guildId) => (guildId === undefined ? statements.allTaught.all() : statements.taught.all(guildId)).map(taught),
    teach: async (phrasing, maxPhrasings) => teach.immediate(phrasing, maxPhrasings),
    unteach: async (guildId, phrasing) => statements.unteach.run(guildId, phrasing).changes > 0,
    guildsWithOwnKnowledge: async () =>
      statements.guildsWithOwnKnowledge.all().map((row) => read('guild_entries', `guild_id ${String(row.guild_id)}`, guildKnowledgeRow, row)),

    claimTipDay: async (guildId, localDay, tipId, now) =>
      statements.claimTipDay.run({ guildId, localDay, tipId, claimedAt: now.getTime() }).changes === 1,
    markTipPost: async (guildId, localDay, status, messageId) => {
      if (statements.markTipPost.run({ guildId, localDay, status, messageId }).changes === 0) {
        throw new StoreError(`No tip claim for guild ${guildId} on ${localDay}: claim the day before marking its post`);
      }
    },
    lastTipPost: async (guildId) => {
      const row = statements.lastTipPost.get(guildId);
      return row === undefined ? undefined : read('tip_posts', `guild_id ${guildId}`, tipPostRow, row);
    },
    tipsUsedThisRound: async (guildId) =>
      statements.tipsUsedThisRound.all({ guildId }).map((row) => read('tip_posts', `guild_id ${guildId}`, tipIdRow, row)),
    startNewTipRound: async (guildId) => {
      statements.startNewTipRound.run({ guildId, startedAt: clock().getTime() });
    },

    close: async () => {
      if (db.open) db.close();
    },
  };
}
