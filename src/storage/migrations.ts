import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { MEMBER_HASH_KEY_PATTERN, type MemberHashKey } from './memberHashKey.js';
import { StoreError } from './storeError.js';

/** The key in `meta` of the salt behind member hashes, until schema version 2 moved it out of the database. */
const MEMBER_HASH_SALT_KEY = 'member_hash_salt';

/** What migrations may touch outside the database. */
export interface MigrationContext {
  file: string;
  memberHashKey: MemberHashKey;
}

/** Member hashes are 64 lowercase hex digits; the CHECK keeps a raw member id from ever being stored. */
const memberHashCheck = (column: string) => `CHECK (length(${column}) = 64 AND ${column} NOT GLOB '*[^0-9a-f]*')`;

const CREATE_TABLES = `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  -- The whole GuildSettings object as JSON, validated with guildSettingsSchema on every read and write.
  CREATE TABLE guild_settings (
    guild_id TEXT PRIMARY KEY,
    settings TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE opt_outs (
    guild_id TEXT NOT NULL,
    member_hash TEXT NOT NULL ${memberHashCheck('member_hash')},
    opted_out_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, member_hash)
  ) STRICT;

  CREATE TABLE answers (
    message_id TEXT PRIMARY KEY,
    guild_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    asker_hash TEXT NOT NULL ${memberHashCheck('asker_hash')},
    question_message_id TEXT NOT NULL,
    passage_ids TEXT NOT NULL,
    confidence REAL NOT NULL,
    posted_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX answers_by_guild ON answers (guild_id);
  CREATE INDEX answers_by_asker ON answers (asker_hash);

  CREATE TABLE votes (
    message_id TEXT NOT NULL REFERENCES answers (message_id) ON DELETE CASCADE,
    voter_hash TEXT NOT NULL ${memberHashCheck('voter_hash')},
    value INTEGER NOT NULL CHECK (value IN (1, -1)),
    voted_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, voter_hash)
  ) STRICT;
  CREATE INDEX votes_by_voter ON votes (voter_hash);

  CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    guild_id TEXT NOT NULL,
    asker_hash TEXT NOT NULL ${memberHashCheck('asker_hash')},
    question TEXT NOT NULL,
    answered INTEGER NOT NULL,
    confidence REAL NOT NULL,
    unmatched_terms TEXT NOT NULL,
    passage_ids TEXT NOT NULL,
    via TEXT NOT NULL,
    asked_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX questions_by_guild_and_time ON questions (guild_id, asked_at);
  CREATE INDEX questions_by_asker ON questions (asker_hash);

  -- Round 0 is implicit: a server has rows here only once it started a new round.
  CREATE TABLE tip_rounds (
    guild_id TEXT NOT NULL,
    round INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, round)
  ) STRICT;

  -- The unique key is what makes a claim atomic across processes: one row per server and local day.
  CREATE TABLE tip_posts (
    guild_id TEXT NOT NULL,
    local_day TEXT NOT NULL CHECK (local_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    tip_id TEXT NOT NULL,
    status TEXT NOT NULL,
    message_id TEXT,
    claimed_at INTEGER NOT NULL,
    round INTEGER NOT NULL,
    UNIQUE (guild_id, local_day)
  ) STRICT;
  CREATE INDEX tip_posts_by_round ON tip_posts (guild_id, round);
`;

/**
 * `MIGRATIONS[n]` brings a database from schema version n to n + 1; the version lives in `PRAGMA user_version`.
 * Never edit an entry once released: append a new one.
 */
export const MIGRATIONS: readonly ((db: Database, context: MigrationContext) => void)[] = [
  (db) => {
    db.exec(CREATE_TABLES);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(MEMBER_HASH_SALT_KEY, randomBytes(32).toString('hex'));
  },
  // The salt becomes the member hash key kept outside the database, so every stored hash stays valid.
  (db, { file, memberHashKey }) => {
    const salt = db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck().get(MEMBER_HASH_SALT_KEY);
    if (salt === undefined) return;
    if (!MEMBER_HASH_KEY_PATTERN.test(salt)) throw new StoreError(`${file}: the member hash salt in table meta is not 64 hex digits: restore a backup`);
    const key = memberHashKey.read() ?? memberHashKey.create(salt);
    if (key !== salt && hasMemberHashes(db)) {
      throw new StoreError(
        `${file} holds member hashes made with the salt in its meta table, which differs from ${memberHashKey.source}: ` +
          `move ${memberHashKey.file} away and unset MEMBER_HASH_KEY for one start, so that the salt moves there`,
      );
    }
    db.prepare('DELETE FROM meta WHERE key = ?').run(MEMBER_HASH_SALT_KEY);
  },

  // Servers' own FAQ entries and the phrasings they taught; a title and a phrasing are unique per server in any case.
  (db) => {
    db.exec(`
      CREATE TABLE guild_entries (
        id INTEGER PRIMARY KEY,
        guild_id TEXT NOT NULL,
        title TEXT NOT NULL,
        questions TEXT NOT NULL,
        answer TEXT NOT NULL,
        link TEXT,
        edited_by_hash TEXT ${memberHashCheck('edited_by_hash')},
        edited_by_name TEXT,
        edited_at INTEGER NOT NULL,
        UNIQUE (guild_id, title COLLATE NOCASE)
      ) STRICT;
      CREATE INDEX guild_entries_by_editor ON guild_entries (edited_by_hash);

      CREATE TABLE taught_phrasings (
        guild_id TEXT NOT NULL,
        phrasing TEXT NOT NULL,
        passage_id TEXT NOT NULL,
        taught_at INTEGER NOT NULL,
        PRIMARY KEY (guild_id, phrasing COLLATE NOCASE)
      ) STRICT;
    `);
  },
];

/** Whether any member hash is stored: a database that has none can take any key. */
function hasMemberHashes(db: Database): boolean {
  const tables = ['opt_outs', 'answers', 'votes', 'questions'];
  return tables.some((table) => db.prepare(`SELECT EXISTS (SELECT 1 FROM ${table})`).pluck().get() === 1);
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a database written by a newer version of the bot instead of misreading it. */
export function refuseNewerSchema(version: number, file: string): void {
  if (version > MIGRATIONS.length) {
    throw new StoreError(
      `${file} has schema version ${version}, but this version of ml-career-bot only knows up to ${MIGRATIONS.length}: ` +
        'upgrade the bot, or point it at another data directory',
    );
  }
}

/**
 * Applies the missing migrations in one write transaction, so two processes opening the same new file
 * cannot both run them, and a failing migration leaves the file as it was.
 */
export function migrate(db: Database, context: MigrationContext): void {
  const { file } = context;
  db.transaction(() => {
    const version = schemaVersion(db);
    refuseNewerSchema(version, file);
    for (const migration of MIGRATIONS.slice(version)) migration(db, context);
    if (version < MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
