import pg, { type PoolClient, type QueryResultRow } from 'pg';
import { z } from 'zod';
import { computeKnowledgeStats, DAY_MS } from './knowledgeStats.js';
import { KEY_CHECK_META_KEY, memberHash, MemberHashKey, memberHashKeyCheck, memberHashKeyFor } from './memberHashKey.js';
import { migratePostgres } from './postgresMigrations.js';
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
import { defaultGuildSettings, type EntrySaveResult, type GuildEntry, type GuildSettings, type QuestionRecord, type Store } from './store.js';
import { StoreError } from './storeError.js';
import { entryValues, Refusal, validSettings } from './writes.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database; `?options=-c search_path=…` picks a schema. */
  url: string;
  /** Where the member hash key file is, as with SQLite; MEMBER_HASH_KEY instead on several machines. */
  dataDir: string;
  memberHashKey?: string;
  /** Clock for timestamps of writes whose method takes no `now` (settings, opt-outs, votes, tip rounds). */
  now?: () => Date;
  /** Connections each process keeps at most. */
  poolSize?: number;
  /** An idle connection that failed (the server restarted, say): the pool replaces it; this hears of it. */
  onIdleError?: (error: Error) => void;
}

export const DEFAULT_POOL_SIZE = 10;
/** Longer than any query the bot makes; a stuck one fails instead of holding a connection for good. */
const STATEMENT_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5_000;

type Queryable = Pick<PoolClient, 'query'>;

/** BIGINT columns (milliseconds, ids, counts) as numbers: every value the bot stores is far below 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The round a server's tips are in: 0 until it first starts a new one. */
const CURRENT_ROUND = '(SELECT COALESCE(MAX(round), 0) FROM tip_rounds WHERE guild_id = $1)';
/** As SQLite's: the latest question still kept is read from the index on (guild_id, asked_at), one lookup a server. */
const GUILDS_WITH_OWN_KNOWLEDGE = `
  WITH own AS (
    SELECT guild_id, COUNT(*) AS items, MAX(edited_at) AS active_at FROM guild_entries GROUP BY guild_id
    UNION ALL
    SELECT guild_id, COUNT(*), MAX(taught_at) FROM taught_phrasings GROUP BY guild_id
  )
  SELECT guild_id, SUM(items)::bigint AS entries_and_phrasings,
    GREATEST(MAX(active_at), (SELECT MAX(asked_at) FROM questions WHERE questions.guild_id = own.guild_id)) AS last_active_at
  FROM own GROUP BY guild_id ORDER BY last_active_at DESC, guild_id COLLATE "C"`;

const guildIdRow = z.object({ guild_id: z.string() }).transform((row) => row.guild_id);

/** The database as messages name it: host, port and database, never the password. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `PostgreSQL database ${decodeURIComponent(parsed.pathname.slice(1)) || '(default)'} at ${parsed.hostname}:${parsed.port || 5432}`;
  } catch {
    return 'the PostgreSQL database in DATABASE_URL';
  }
}

/**
 * Opens a pool on the database, migrates it (once, whichever process comes first) and checks the member hash
 * key against it. The same interface and behaviour as the SQLite store, for bots running several processes.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const database = describeDatabase(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'ml-career-bot',
    types,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client, database);
    } finally {
      client.release();
    }
    const key = await checkedMemberHashKey(pool, database, new MemberHashKey(options.dataDir, options.memberHashKey));
    return createStore(pool, database, key, options.now ?? (() => new Date()));
  } catch (error) {
    await pool.end();
    throw explainOpenFailure(error, database);
  }
}

/** Says what an operator can do about a failure to reach or migrate the database. */
function explainOpenFailure(error: unknown, database: string): unknown {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || /timeout/i.test(message)) {
    return new StoreError(`Cannot reach the ${database} (${message}): start PostgreSQL, or check the host and port in DATABASE_URL`, { cause: error });
  }
  if (code === '28P01' || code === '28000' || code === '3D000') {
    return new StoreError(`The ${database} refused the connection (${message}): check the user, password and database name in DATABASE_URL`, { cause: error });
  }
  return new StoreError(`${database}: ${message}`, { cause: error });
}

async function checkedMemberHashKey(pool: pg.Pool, database: string, source: MemberHashKey): Promise<Buffer> {
  const storedCheck = async () => {
    const row = (await pool.query('SELECT value FROM meta WHERE key = $1', [KEY_CHECK_META_KEY])).rows[0];
    return row === undefined ? undefined : parseRow(database, 'meta', `key ${KEY_CHECK_META_KEY}`, hexRow, row).value;
  };
  const key = memberHashKeyFor(source, await storedCheck(), database);
  await pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING', [KEY_CHECK_META_KEY, memberHashKeyCheck(key)]);
  // Again: another process may have stored its check first.
  return Buffer.from(memberHashKeyFor(source, await storedCheck(), database), 'hex');
}

/** Runs `work` in a transaction on one connection of the pool; rolled back when it throws. */
async function inTransaction<T>(pool: pg.Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Serializes the read-modify-writes of one kind for one server until the transaction ends, across processes:
 * what SQLite's write lock does for a whole file, PostgreSQL does here per server.
 */
async function lockServer(client: Queryable, kind: string, guildId: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [`ml-career-bot:${kind}`, guildId]);
}

const FOREIGN_KEY_VIOLATION = '23503';

function createStore(pool: pg.Pool, database: string, key: Buffer, clock: () => Date): Store {
  const rows = async <T>(client: Queryable, table: string, rowKey: (row: QueryResultRow) => string, schema: z.ZodType<T>, sql: string, values: unknown[]) =>
    (await client.query(sql, values)).rows.map((row) => parseRow(database, table, rowKey(row), schema, row));
  const byGuild = (row: QueryResultRow) => `guild_id ${String(row.guild_id)}`;
  const byId = (row: QueryResultRow) => `id ${String(row.id)}`;
  const byMessage = (row: QueryResultRow) => `message_id ${String(row.message_id)}`;

  const settings = async (client: Queryable, guildId: string): Promise<GuildSettings> => {
    const [found] = await rows(client, 'guild_settings', byGuild, settingsRow, 'SELECT guild_id, settings FROM guild_settings WHERE guild_id = $1', [guildId]);
    return found ?? defaultGuildSettings(guildId);
  };
  const tally = async (client: Queryable, messageId: string) => {
    const sql = `SELECT COUNT(*) FILTER (WHERE value = 1) AS helpful, COUNT(*) FILTER (WHERE value = -1) AS "notHelpful" FROM votes WHERE message_id = $1`;
    return (await rows(client, 'votes', () => `message_id ${messageId}`, tallyRow, sql, [messageId]))[0]!;
  };
  const recentQuestions = (guildId: string, now: Date) =>
    rows(pool, 'questions', byId, questionRow, 'SELECT * FROM questions WHERE guild_id = $1 AND asked_at > $2 AND asked_at <= $3 ORDER BY asked_at, id', [
      guildId,
      now.getTime() - 30 * DAY_MS,
      now.getTime(),
    ]);
  const entry = (row: QueryResultRow): GuildEntry => parseRow(database, 'guild_entries', byId(row), entryRow, row);
  // Texts sort as SQLite sorts them, by code point, not by the database's locale.
  const taughtSql = 'SELECT * FROM taught_phrasings WHERE guild_id = $1 ORDER BY taught_at, phrasing COLLATE "C"';

  return {
    memberHash: (userId) => memberHash(key, userId),

    settings: (guildId) => settings(pool, guildId),
    updateSettings: (guildId, change) =>
      inTransaction(pool, async (client) => {
        await lockServer(client, 'settings', guildId);
        const next = validSettings(guildId, change(await settings(client, guildId)));
        await client.query(
          `INSERT INTO guild_settings (guild_id, settings, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (guild_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
          [guildId, JSON.stringify(next), clock().getTime()],
        );
        return next;
      }),
    guildsWithTips: async () =>
      (await rows(pool, 'guild_settings', byGuild, settingsRow, 'SELECT guild_id, settings FROM guild_settings ORDER BY guild_id COLLATE "C"', [])).filter(
        (s) => s.tips?.enabled === true,
      ),

    isOptedOut: async (guildId, member) =>
      (await rows(pool, 'opt_outs', byGuild, optOutRow, 'SELECT * FROM opt_outs WHERE guild_id = $1 AND member_hash = $2', [guildId, member])).length > 0,
    setOptedOut: async (guildId, member, optedOut) => {
      if (optedOut) {
        await pool.query('INSERT INTO opt_outs (guild_id, member_hash, opted_out_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [guildId, member, clock().getTime()]);
      } else {
        await pool.query('DELETE FROM opt_outs WHERE guild_id = $1 AND member_hash = $2', [guildId, member]);
      }
    },

    recordAnswer: async (answer) => {
      await pool.query(
        `INSERT INTO answers (message_id, guild_id, channel_id, asker_hash, question_message_id, passage_ids, confidence, posted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (message_id) DO UPDATE SET
           guild_id = excluded.guild_id, channel_id = excluded.channel_id, asker_hash = excluded.asker_hash,
           question_message_id = excluded.question_message_id, passage_ids = excluded.passage_ids,
           confidence = excluded.confidence, posted_at = excluded.posted_at`,
        [answer.messageId, answer.guildId, answer.channelId, answer.asker, answer.questionMessageId, JSON.stringify(answer.passageIds), answer.confidence, answer.postedAt.getTime()],
      );
    },
    answer: async ({ guildId, channelId, messageId }) =>
      (await rows(pool, 'answers', byMessage, answerRow, 'SELECT * FROM answers WHERE message_id = $1 AND guild_id = $2 AND channel_id = $3', [messageId, guildId, channelId]))[0],
    deleteAnswer: async (messageId) => {
      // Its votes go with it (ON DELETE CASCADE).
      await pool.query('DELETE FROM answers WHERE message_id = $1', [messageId]);
    },

    vote: (messageId, voter, value) =>
      inTransaction(pool, async (client) => {
        try {
          await client.query(
            `INSERT INTO votes (message_id, voter_hash, value, voted_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (message_id, voter_hash) DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at`,
            [messageId, voter, value, clock().getTime()],
          );
        } catch (error) {
          if ((error as { code?: unknown }).code !== FOREIGN_KEY_VIOLATION) throw error;
          throw new StoreError(`No recorded answer with message id ${messageId}: only the bot's answers can be voted on`, { cause: error });
        }
        return tally(client, messageId);
      }),
    tally: (messageId) => tally(pool, messageId),

    // One statement however many questions: a batch is a round trip, not one per question.
    logQuestions: async (records) => {
      if (records.length === 0) return;
      const column = <T>(pick: (record: QuestionRecord) => T) => records.map(pick);
      await pool.query(
        `INSERT INTO questions (guild_id, asker_hash, question, answered, confidence, unmatched_terms, passage_ids, via, asked_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::double precision[], $6::text[], $7::text[], $8::text[], $9::bigint[])`,
        [
          column((r) => r.guildId),
          column((r) => r.asker),
          column((r) => r.question),
          column((r) => r.answered),
          column((r) => r.confidence),
          column((r) => JSON.stringify(r.unmatchedTerms)),
          column((r) => JSON.stringify(r.passageIds)),
          column((r) => r.via),
          column((r) => r.askedAt.getTime()),
        ],
      );
    },
    knowledgeStats: async (guildId, now) => {
      const answers = await rows(
        pool,
        'answers',
        byMessage,
        answerVotesRow,
        `SELECT a.message_id, a.passage_ids, COUNT(*) FILTER (WHERE v.value = 1) AS helpful, COUNT(*) FILTER (WHERE v.value = -1) AS "notHelpful"
         FROM answers a JOIN votes v ON v.message_id = a.message_id
         WHERE a.guild_id = $1 GROUP BY a.message_id`,
        [guildId],
      );
      return computeKnowledgeStats(await recentQuestions(guildId, now), answers, now);
    },
    recentQuestions,
    purgeExpiredQuestions: (now) =>
      inTransaction(pool, async (client) => {
        let deleted = 0;
        for (const guildId of await rows(client, 'questions', () => 'guild_id', guildIdRow, 'SELECT DISTINCT guild_id FROM questions', [])) {
          const cutoff = now.getTime() - (await settings(client, guildId)).retentionDays * DAY_MS;
          deleted += (await client.query('DELETE FROM questions WHERE guild_id = $1 AND asked_at < $2', [guildId, cutoff])).rowCount ?? 0;
        }
        return deleted;
      }),
    forgetMember: (member) =>
      inTransaction(pool, async (client) => {
        let changed = 0;
        // Votes on the member's answers go before the answers, so that every deleted row is counted.
        for (const sql of [
          'DELETE FROM votes WHERE message_id IN (SELECT message_id FROM answers WHERE asker_hash = $1)',
          'DELETE FROM answers WHERE asker_hash = $1',
          'DELETE FROM votes WHERE voter_hash = $1',
          'DELETE FROM questions WHERE asker_hash = $1',
          'DELETE FROM opt_outs WHERE member_hash = $1',
          'UPDATE guild_entries SET edited_by_hash = NULL, edited_by_name = NULL WHERE edited_by_hash = $1',
        ]) {
          changed += (await client.query(sql, [member])).rowCount ?? 0;
        }
        return changed;
      }),

    guildEntries: async (guildId) => (await pool.query('SELECT * FROM guild_entries WHERE guild_id = $1 ORDER BY id', [guildId])).rows.map(entry),
    saveGuildEntries: async (guildId, changes, options) => {
      try {
        return await inTransaction(pool, async (client): Promise<EntrySaveResult> => {
          await lockServer(client, 'entries', guildId);
          const saved: GuildEntry[] = [];
          let added = 0;
          for (const change of changes) {
            const values = entryValues(guildId, change);
            const titled = (await client.query<{ id: number }>('SELECT id FROM guild_entries WHERE guild_id = $1 AND lower(title) = lower($2)', [guildId, values.title])).rows[0]?.id;
            let id = change.id;
            if (id !== undefined && (await client.query('SELECT 1 FROM guild_entries WHERE guild_id = $1 AND id = $2', [guildId, id])).rowCount === 0) {
              throw new Refusal({ ok: false, problem: 'missing', id });
            }
            if (titled !== undefined && titled !== id) {
              if (id !== undefined || options.sameTitle === 'refuse') throw new Refusal({ ok: false, problem: 'title-taken', title: values.title });
              id = titled;
            }
            const columns = [values.guildId, values.title, values.questions, values.answer, values.link, values.editorHash, values.editorName, values.editedAt];
            if (id === undefined) added++;
            const written =
              id === undefined
                ? await client.query(
                    `INSERT INTO guild_entries (guild_id, title, questions, answer, link, edited_by_hash, edited_by_name, edited_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
                    columns,
                  )
                : await client.query(
                    `UPDATE guild_entries SET title = $2, questions = $3, answer = $4, link = $5, edited_by_hash = $6, edited_by_name = $7, edited_at = $8
                     WHERE guild_id = $1 AND id = $9 RETURNING *`,
                    [...columns, id],
                  );
            saved.push(entry(written.rows[0]!));
          }
          const count = (await client.query<{ n: number }>('SELECT COUNT(*) AS n FROM guild_entries WHERE guild_id = $1', [guildId])).rows[0]!.n;
          if (count > options.maxEntries) throw new Refusal({ ok: false, problem: 'limit', limit: options.maxEntries });
          return { ok: true, saved, added, updated: saved.length - added };
        });
      } catch (error) {
        if (error instanceof Refusal) return error.result;
        throw error;
      }
    },
    removeGuildEntry: (guildId, id, passageId) =>
      inTransaction(pool, async (client) => {
        const removed = (await client.query('DELETE FROM guild_entries WHERE guild_id = $1 AND id = $2 RETURNING *', [guildId, id])).rows[0];
        if (removed === undefined) return undefined;
        await client.query('DELETE FROM taught_phrasings WHERE guild_id = $1 AND passage_id = $2', [guildId, passageId]);
        return entry(removed);
      }),

    taughtPhrasings: (guildId) =>
      guildId === undefined
        ? rows(pool, 'taught_phrasings', byGuild, taughtRow, 'SELECT * FROM taught_phrasings ORDER BY guild_id COLLATE "C", taught_at, phrasing COLLATE "C"', [])
        : rows(pool, 'taught_phrasings', byGuild, taughtRow, taughtSql, [guildId]),
    teach: (phrasing, maxPhrasings) =>
      inTransaction(pool, async (client) => {
        await lockServer(client, 'taught', phrasing.guildId);
        const known = (await client.query('SELECT 1 FROM taught_phrasings WHERE guild_id = $1 AND lower(phrasing) = lower($2)', [phrasing.guildId, phrasing.phrasing])).rowCount! > 0;
        const count = (await client.query<{ n: number }>('SELECT COUNT(*) AS n FROM taught_phrasings WHERE guild_id = $1', [phrasing.guildId])).rows[0]!.n;
        if (!known && count >= maxPhrasings) return false;
        await client.query(
          `INSERT INTO taught_phrasings (guild_id, phrasing, passage_id, taught_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (guild_id, lower(phrasing)) DO UPDATE SET phrasing = excluded.phrasing, passage_id = excluded.passage_id, taught_at = excluded.taught_at`,
          [phrasing.guildId, phrasing.phrasing, phrasing.passageId, phrasing.taughtAt.getTime()],
        );
        return true;
      }),
    unteach: async (guildId, phrasing) =>
      ((await pool.query('DELETE FROM taught_phrasings WHERE guild_id = $1 AND lower(phrasing) = lower($2)', [guildId, phrasing])).rowCount ?? 0) > 0,
    guildsWithOwnKnowledge: () => rows(pool, 'guild_entries', byGuild, guildKnowledgeRow, GUILDS_WITH_OWN_KNOWLEDGE, []),

    // One statement: the unique key decides who wins across processes; the row count says who did.
    claimTipDay: async (guildId, localDay, tipId, now) =>
      (
        await pool.query(
          `INSERT INTO tip_posts (guild_id, local_day, tip_id, status, message_id, claimed_at, round)
           VALUES ($1, $2, $3, 'claimed', NULL, $4, ${CURRENT_ROUND})
           ON CONFLICT (guild_id, local_day) DO UPDATE SET
             tip_id = excluded.tip_id, status = excluded.status, message_id = NULL, claimed_at = excluded.claimed_at, round = excluded.round
           WHERE tip_posts.status = 'failed'`,
          [guildId, localDay, tipId, now.getTime()],
        )
      ).rowCount === 1,
    markTipPost: async (guildId, localDay, status, messageId) => {
      const marked = await pool.query('UPDATE tip_posts SET status = $3, message_id = $4 WHERE guild_id = $1 AND local_day = $2', [guildId, localDay, status, messageId]);
      if (marked.rowCount === 0) throw new StoreError(`No tip claim for guild ${guildId} on ${localDay}: claim the day before marking its post`);
    },
    lastTipPost: async (guildId) =>
      (await rows(pool, 'tip_posts', byGuild, tipPostRow, 'SELECT * FROM tip_posts WHERE guild_id = $1 ORDER BY local_day DESC LIMIT 1', [guildId]))[0],
    tipsUsedThisRound: (guildId) =>
      rows(
        pool,
        'tip_posts',
        byGuild,
        tipIdRow,
        `SELECT tip_id FROM tip_posts WHERE guild_id = $1 AND round = ${CURRENT_ROUND} AND status != 'failed' GROUP BY tip_id ORDER BY MIN(local_day)`,
        [guildId],
      ),
    startNewTipRound: async (guildId) => {
      // Another process starting the same round at once started it for both.
      await pool.query(`INSERT INTO tip_rounds (guild_id, round, started_at) SELECT $1, ${CURRENT_ROUND} + 1, $2 ON CONFLICT DO NOTHING`, [guildId, clock().getTime()]);
    },

    close: async () => {
      if (!pool.ended) await pool.end();
    },
  };
}
