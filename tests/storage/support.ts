import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect } from 'vitest';
import { describeDatabase, openPostgresStore } from '../../src/storage/postgresStore.js';
import { DEFAULT_DATABASE_FILE, openSqliteStore, StoreError, type SqliteStoreOptions } from '../../src/storage/sqliteStore.js';
import type { Store } from '../../src/storage/store.js';
import { createTestSchema, type TestSchema } from '../support/postgres.js';

/** The store suite runs on each: `describe.each(BACKENDS)('%s', (backend) => …)`. */
export const BACKENDS = ['sqlite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface StoreOpenOptions {
  dataDir?: string;
  now?: () => Date;
  memberHashKey?: string;
}

export interface BackendStores {
  /** The fresh directory of the current test (the member hash key's, and SQLite's file). */
  dir(): string;
  /** How messages name the test's database: the SQLite file, or the PostgreSQL database. */
  location(): string;
  /** Opens a store on the test's database; it is closed after the test, even when the test fails. */
  open(options?: StoreOpenOptions): Promise<Store>;
  /** The PostgreSQL URL of the test's schema, or SQLite's data directory: what a child process opens. */
  address(): string;
  /** SQL run on the test's database directly: rows for a query, none for a change. */
  sql(text: string): Promise<Record<string, unknown>[]>;
}

/**
 * Gives each test a fresh database of the backend: a temporary directory, and for PostgreSQL a schema of its
 * own in the test database. Both are removed after the test, with every store opened on them, even when it fails.
 */
export function useBackendStores(backend: Backend): BackendStores {
  const dirs = useTempDir();
  let schema: TestSchema | undefined;
  let opened: Store[] = [];
  beforeEach(async () => {
    if (backend === 'postgres') schema = await createTestSchema();
  });
  afterEach(async () => {
    await Promise.all(opened.map((store) => store.close()));
    opened = [];
    await schema?.drop();
    schema = undefined;
  });
  const currentSchema = () => {
    if (schema === undefined) throw new Error('no PostgreSQL schema outside a PostgreSQL test');
    return schema;
  };
  const file = () => join(dirs.dir(), DEFAULT_DATABASE_FILE);
  return {
    dir: dirs.dir,
    location: () => (backend === 'sqlite' ? file() : describeDatabase(currentSchema().url)),
    address: () => (backend === 'sqlite' ? dirs.dir() : currentSchema().url),
    async open(options = {}) {
      const { dataDir = dirs.dir(), ...rest } = options;
      const store = backend === 'sqlite' ? openSqliteStore({ dataDir, ...rest }) : await openPostgresStore({ url: currentSchema().url, dataDir, ...rest });
      opened.push(store);
      return store;
    },
    async sql(text) {
      if (backend === 'postgres') return currentSchema().sql(text);
      const db = new Database(file());
      try {
        const statement = db.prepare(text);
        if (statement.reader) return statement.all() as Record<string, unknown>[];
        statement.run();
        return [];
      } finally {
        db.close();
      }
    },
  };
}

function useTempDir(): { dir(): string } {
  let dir: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ml-career-bot-store-'));
  });
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return {
    dir: () => {
      if (dir === undefined) throw new Error('only usable inside a test');
      return dir;
    },
  };
}

export interface TempStores {
  /** The fresh directory of the current test. */
  dir(): string;
  /** The database file of the current test. */
  file(): string;
  /** Opens a SQLite store (in the test's directory unless told); it is closed after the test, even when the test fails. */
  open(options?: Partial<SqliteStoreOptions>): Store;
  /** A plain better-sqlite3 connection to the file, closed after the test. */
  connect(): Database.Database;
}

/** For SQLite's own tests (its file, its locks): each test a fresh temporary directory, removed afterwards with everything opened in it. */
export function useTempStores(): TempStores {
  const dirs = useTempDir();
  let opened: { close(): unknown }[] = [];
  // Registered after the directory's hooks, so it runs before them: everything is closed before the directory goes.
  afterEach(async () => {
    for (const handle of opened.reverse()) await handle.close();
    opened = [];
  });
  return {
    dir: dirs.dir,
    file: () => join(dirs.dir(), DEFAULT_DATABASE_FILE),
    open: (options) => {
      const store = openSqliteStore({ dataDir: dirs.dir(), ...options });
      opened.push(store);
      return store;
    },
    connect: () => {
      const db = new Database(join(dirs.dir(), DEFAULT_DATABASE_FILE));
      opened.push({ close: () => db.open && db.close() });
      return db;
    },
  };
}

/** The StoreError opening a store fails with; fails the test when it opens. */
export async function openError(open: () => unknown): Promise<StoreError> {
  try {
    await open();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return error as StoreError;
  }
  throw new Error('expected opening the store to fail');
}

export const DAY_MS = 24 * 60 * 60 * 1000;
export const NOW = new Date('2030-06-15T12:00:00Z');
export const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
