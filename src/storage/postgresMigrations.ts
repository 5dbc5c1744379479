import type { PoolClient } from 'pg';
import { StoreError } from './storeError.js';

/** Member hashes are 64 lowercase hex digits; the CHECK keeps a raw member id from ever being stored. */
const memberHashCheck = (column: string) => `CHECK (${column} ~ '^[0-9a-f]{64}$')`;

/**
 * `POSTGRES_MIGRATIONS[n]` brings a database from schema version n to n + 1; applied versions are rows of
 * schema_migrations. Never edit an entry once released: append a new one. The tables are SQLite's, column for
 * column (times in milliseconds, lists and settings as JSON text), so that one set of row schemas validates
 * both; a title or phrasing is unique per server in any case, as COLLATE NOCASE makes it in SQLite.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (
    key text PRIMARY KEY,
    value text NOT NULL
  );

  CREATE TABLE guild_settings (
    guild_id text PRIMARY KEY,
    settings text NOT NULL,
    updated_at bigint NOT NULL
  );

  CREATE TABLE opt_outs (
    guild_id text NOT NULL,
    member_hash text NOT NULL ${memberHashCheck('member_hash')},
    opted_out_at bigint NOT NULL,
    PRIMARY KEY (guild_id, member_hash)
  );
  CREATE INDEX opt_outs_by_member ON opt_outs (member_hash);

  CREATE TABLE answers (
    message_id text PRIMARY KEY,
    guild_id text NOT NULL,
    channel_id text NOT NULL,
    asker_hash text NOT NULL ${memberHashCheck('asker_hash')},
    question_message_id text NOT NULL,
    passage_ids text NOT NULL,
    confidence double precision NOT NULL,
    posted_at bigint NOT NULL
  );
  CREATE INDEX answers_by_guild ON answers (guild_id);
  CREATE INDEX answers_by_asker ON answers (asker_hash);

  CREATE TABLE votes (
    message_id text NOT NULL REFERENCES answers (message_id) ON DELETE CASCADE,
    voter_hash text NOT NULL ${memberHashCheck('voter_hash')},
    value smallint NOT NULL CHECK (value IN (1, -1)),
    voted_at bigint NOT NULL,
    PRIMARY KEY (message_id, voter_hash)
  );
  CREATE INDEX votes_by_voter ON votes (voter_hash);

  CREATE TABLE questions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id text NOT NULL,
    asker_hash text NOT NULL ${memberHashCheck('asker_hash')},
    question text NOT NULL,
    answered boolean NOT NULL,
    confidence double precision NOT NULL,
    unmatched_terms text NOT NULL,
    passage_ids text NOT NULL,
    via text NOT NULL,
    asked_at bigint NOT NULL
  );
  CREATE INDEX questions_by_guild_and_time ON questions (guild_id, asked_at);
  CREATE INDEX questions_by_asker ON questions (asker_hash);

  CREATE TABLE tip_rounds (
    guild_id text NOT NULL,
    round integer NOT NULL,
    started_at bigint NOT NULL,
    PRIMARY KEY (guild_id, round)
  );

  -- The unique key is what makes a claim atomic across processes: one row per server and local day.
  CREATE TABLE tip_posts (
    guild_id text NOT NULL,
    local_day text NOT NULL CHECK (local_day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    tip_id text NOT NULL,
    status text NOT NULL,
    message_id text,
    claimed_at bigint NOT NULL,
    round integer NOT NULL,
    UNIQUE (guild_id, local_day)
  );
  CREATE INDEX tip_posts_by_round ON tip_posts (guild_id, round);

  CREATE TABLE guild_entries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id text NOT NULL,
    title text NOT NULL,
    questions text NOT NULL,
    answer text NOT NULL,
    link text,
    edited_by_hash text ${memberHashCheck('edited_by_hash')},
    edited_by_name text,
    edited_at bigint NOT NULL
  );
  CREATE UNIQUE INDEX guild_entries_title ON guild_entries (guild_id, lower(title));
  CREATE INDEX guild_entries_by_editor ON guild_entries (edited_by_hash);

  CREATE TABLE taught_phrasings (
    guild_id text NOT NULL,
    phrasing text NOT NULL,
    passage_id text NOT NULL,
    taught_at bigint NOT NULL
  );
  CREATE UNIQUE INDEX taught_phrasings_key ON taught_phrasings (guild_id, lower(phrasing));
  `,
];

/** Per schema: several bots may share a database, each in a schema of its own. */
const LOCK_KEY = "hashtext(current_schema() || ':ml-career-bot:migrations')";

/**
 * Applies the missing migrations, each in a transaction with its version row, under a session advisory lock:
 * of several processes starting at once, one migrates and the others wait, then find nothing left to do.
 */
export async function migratePostgres(client: PoolClient, database: string): Promise<void> {
  const schema = (await client.query<{ schema: string | null }>('SELECT current_schema() AS schema')).rows[0]?.schema;
  if (!schema) throw new StoreError(`${database}: no schema to create the tables in: create the schema named in search_path, or leave search_path alone`);
  await client.query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)');
    const applied = (await client.query<{ version: number }>('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations')).rows[0]?.version ?? 0;
    if (applied > POSTGRES_MIGRATIONS.length) {
      throw new StoreError(
        `${database} has schema version ${applied}, but this version of ml-career-bot only knows up to ${POSTGRES_MIGRATIONS.length}: ` +
          'upgrade the bot, or point it at another database',
      );
    }
    for (const [index, migration] of POSTGRES_MIGRATIONS.entries()) {
      if (index < applied) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [index + 1, Date.now()]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`);
  }
}
