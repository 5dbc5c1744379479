import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/storage/sqliteStore.js';
import { openError, useTempStores } from './support.js';

const temp = useTempStores();

describe('opening a file that is not a database', () => {
  it.each([
    ['random bytes', randomBytes(8192)],
    ['a text file', Buffer.from('DISCORD_TOKEN=not-a-database\nLOG_LEVEL=info\n'.repeat(50))],
  ])('refuses %s, names the file and leaves it untouched', async (_kind, content) => {
    writeFileSync(temp.file(), content);

    const error = await openError(() => temp.open());

    expect(error.message).toBe(`${temp.file()} is not a SQLite database: move it away or restore a backup`);
    expect(readFileSync(temp.file()).equals(content)).toBe(true);
    expect(readdirSync(temp.dir())).toEqual(['ml-career-bot.sqlite']);
  });
});

describe('opening a database with a damaged page', () => {
  it('refuses it whichever page it is, names the file and leaves it untouched', async () => {
    const store = temp.open();
    for (let i = 0; i < 200; i++) await store.setOptedOut(`g${i}`, store.memberHash(String(100000000000000000 + i)), true);
    await store.close();
    const pristine = readFileSync(temp.file());
    const pageSize = pristine.readUInt16BE(16); // from the file's header
    let refused = 0;
    // Page 1 holds the header, which SQLite reads as "not a database" when damaged: tested above.
    for (let page = 1; page < pristine.length / pageSize; page++) {
      const damaged = Buffer.from(pristine);
      randomBytes(pageSize).copy(damaged, page * pageSize);
      writeFileSync(temp.file(), damaged);
      try {
        await temp.open().close();
      } catch (error) {
        expect(error).toBeInstanceOf(StoreError);
        expect((error as Error).message).toBe(`${temp.file()} is corrupt: move it away and restore a backup`);
        expect(readFileSync(temp.file()).equals(damaged)).toBe(true);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});

describe('opening a database another process holds locked', () => {
  it('fails after the busy timeout when the store already created the file (WAL)', async () => {
    await temp.open().close();
    const other = temp.connect();
    other.exec('BEGIN EXCLUSIVE');

    const started = Date.now();
    const error = await openError(() => temp.open({ busyTimeoutMs: 100 }));

    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(error.message).toContain(`${temp.file()} is locked by another process`);
  });

  it('fails the same way on a file in rollback-journal mode', async () => {
    const other = temp.connect();
    other.exec('CREATE TABLE t (x)');
    other.exec('BEGIN EXCLUSIVE');

    const error = await openError(() => temp.open({ busyTimeoutMs: 100 }));

    expect(error.message).toContain(`${temp.file()} is locked by another process`);
    other.exec('ROLLBACK');
    expect(other.pragma('user_version', { simple: true })).toBe(0);
  });

  it('opens normally once the lock is released', async () => {
    await temp.open().close();
    const other = temp.connect();
    other.exec('BEGIN EXCLUSIVE');
    expect(() => temp.open({ busyTimeoutMs: 50 })).toThrow(StoreError);
    other.exec('COMMIT');

    expect((await temp.open({ busyTimeoutMs: 50 }).settings('g1')).guildId).toBe('g1');
  });
});

describe('a data directory that cannot be created', () => {
  it('names the directory', async () => {
    writeFileSync(`${temp.dir()}/file`, 'not a directory');
    const error = await openError(() => temp.open({ dataDir: `${temp.dir()}/file/data` }));
    expect(error.message).toContain(`Cannot create the data directory ${temp.dir()}/file/data`);
  });
});
