import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect } from 'vitest';
import { DEFAULT_DATABASE_FILE, openSqliteStore, StoreError, type SqliteStoreOptions } from '../../src/storage/sqliteStore.js';
import type { Store } from '../../src/storage/store.js';

export interface TempStores {
  /** The fresh directory of the current test. */
  dir(): string;
  /** The database file of the current test. */
  file(): string;
  /** Opens a store (in the test's directory unless told); it is closed after the test, even when the test fails. */
  open(options?: Partial<SqliteStoreOptions>): Store;
  /** A plain better-sqlite3 connection to the file, closed after the test. */
  connect(): Database.Database;
}

/** Registers hooks giving each test a fresh temporary directory, removed afterwards with everything opened in it. */
export function useTempStores(): TempStores {
  let dir: string | undefined;
  let opened: { close(): void }[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ml-career-bot-store-'));
  });
  afterEach(() => {
    for (const handle of opened.reverse()) handle.close();
    opened = [];
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const current = () => {
    if (dir === undefined) throw new Error('useTempStores() is only usable inside a test');
    return dir;
  };
  return {
    dir: current,
    file: () => join(current(), DEFAULT_DATABASE_FILE),
    open: (options) => {
      const store = openSqliteStore({ dataDir: current(), ...options });
      opened.push(store);
      return store;
    },
    connect: () => {
      const db = new Database(join(current(), DEFAULT_DATABASE_FILE));
      opened.push({ close: () => db.open && db.close() });
      return db;
    },
  };
}

/** The StoreError opening a store fails with; fails the test when it opens. */
export function openError(open: () => unknown): StoreError {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return error as StoreError;
  }
  throw new Error('expected opening the store to fail');
}

export const DAY_MS = 24 * 60 * 60 * 1000;
export const NOW = new Date('2030-06-15T12:00:00Z');
export const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
