// What only the PostgreSQL store has: migrations under an advisory lock, several processes starting at once,
// and the messages for a database it cannot use. The rest of its behaviour is the store suite's, on both backends.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../../src/storage/postgresMigrations.js';
import { describeDatabase, openPostgresStore } from '../../src/storage/postgresStore.js';
import { isStoreUnavailable } from '../../src/storage/storeError.js';
import { TEST_DATABASE_URL } from '../support/postgres.js';
import { openError, useBackendStores } from './support.js';

const temp = useBackendStores('postgres');

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OPENER = fileURLToPath(new URL('./openPostgresChild.ts', import.meta.url));
const children = new Map<ChildProcessWithoutNullStreams, Promise<void>>();

// Registered after useBackendStores, so it runs first: children are gone before their schema is dropped.
afterEach(async () => {
  for (const child of children.keys()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(children.values());
  children.clear();
});

function startOpener() {
  const child = spawn(process.execPath, ['--import', 'tsx', OPENER, temp.address(), temp.dir()], { cwd: PROJECT_ROOT });
  children.set(child, new Promise((resolve) => child.once('close', () => resolve())));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    pid: child.pid!,
    nextLine: async () => {
      const { done, value } = await lines.next();
      if (done === true) throw new Error(`opener exited early: ${stderr}`);
      return value as string;
    },
    go: () => child.stdin.write('go\n'),
  };
}

const tables = async () => (await temp.sql(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`)).map((row) => row.table_name);
const versions = async () => (await temp.sql('SELECT version FROM schema_migrations ORDER BY version')).map((row) => row.version);

describe('PostgreSQL migrations', () => {
  it('create every table in a new schema, and record each version once', async () => {
    await (await temp.open()).close();
    expect(await tables()).toEqual(['answers', 'guild_entries', 'guild_settings', 'meta', 'opt_outs', 'questions', 'schema_migrations', 'taught_phrasings', 'tip_posts', 'tip_rounds', 'votes']);
    expect(await versions()).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
    await (await temp.open()).close();
    expect(await versions()).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
  });

  it('run once when two processes start at once: the second waits for the first, then finds nothing to do', async () => {
    // The test holds the lock the migrations take, so that both processes are waiting for it when it is let go.
    const holder = new pg.Client({ connectionString: temp.address() });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext(current_schema() || ':ml-career-bot:migrations'))");
      const openers = [startOpener(), startOpener()];
      for (const opener of openers) expect(await opener.nextLine()).toBe('ready');
      for (const opener of openers) opener.go();
      await expect
        .poll(async () => (await holder.query("SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rows[0].n, { timeout: 15_000 })
        .toBe(2);
      await holder.query("SELECT pg_advisory_unlock(hashtext(current_schema() || ':ml-career-bot:migrations'))");
      expect(await Promise.all(openers.map((opener) => opener.nextLine()))).toEqual(['opened', 'opened']);
    } finally {
      await holder.end();
    }
    expect(await versions()).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
  });

  it('refuse a schema written by a newer version, naming the database and leaving it alone', async () => {
    await (await temp.open()).close();
    await temp.sql(`INSERT INTO schema_migrations (version, applied_at) VALUES (${POSTGRES_MIGRATIONS.length + 1}, 0)`);
    const error = await openError(() => temp.open());
    expect(error.message).toContain(`${describeDatabase(temp.address())} has schema version ${POSTGRES_MIGRATIONS.length + 1}`);
    expect(error.message).toContain('upgrade the bot');
    expect(await versions()).toHaveLength(POSTGRES_MIGRATIONS.length + 1);
  });
});

describe('opening a PostgreSQL database', () => {
  it('refuses a database whose member hashes were made with another key', async () => {
    await (await temp.open({ memberHashKey: randomBytes(32).toString('hex') })).close();
    const error = await openError(() => temp.open({ memberHashKey: randomBytes(32).toString('hex') }));
    expect(error.message).toBe(`MEMBER_HASH_KEY is not the key the member hashes in ${describeDatabase(temp.address())} were made with: restore the right one`);
  });

  it('says where it could not connect, never with the password', async () => {
    const url = 'postgres://bot:s3cret@127.0.0.1:1/nowhere';
    const error = await openError(() => openPostgresStore({ url, dataDir: temp.dir() }));
    expect(error.message).toMatch(/^Cannot reach the PostgreSQL database nowhere at 127\.0\.0\.1:1 .*: start PostgreSQL, or check the host and port in DATABASE_URL$/);
    expect(error.message).not.toContain('s3cret');
  });

  it('says which database does not exist', async () => {
    const url = TEST_DATABASE_URL.replace(/\/test$/, `/missing_${randomBytes(4).toString('hex')}`);
    const error = await openError(() => openPostgresStore({ url, dataDir: temp.dir() }));
    expect(error.message).toMatch(/refused the connection .*: check the user, password and database name in DATABASE_URL/);
  });

  it.each([
    ['the server shutting down', '57P01'],
    ['a full disk', '53100'],
    ['too many connections', '53300'],
    ['a lost connection', '08006'],
    ['a statement timeout', '57014'],
    ['the server unreachable', 'ECONNREFUSED'],
  ])('counts %s as "not saved, try again", as SQLite a locked or full file', (_kind, code) => {
    expect(isStoreUnavailable(Object.assign(new Error('refused'), { code }))).toBe(true);
  });

  it('counts a broken query as a bug, not as the database being unavailable', () => {
    expect(isStoreUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
    expect(isStoreUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });
});
