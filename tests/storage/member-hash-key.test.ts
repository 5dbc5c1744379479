import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MEMBER_HASH_KEY_FILE, MemberHashKey } from '../../src/storage/memberHashKey.js';
import { MIGRATIONS } from '../../src/storage/migrations.js';
import { NOW, openError, useTempStores } from './support.js';

const temp = useTempStores();

const MEMBER = '111111111111111111';
const hmac = (key: string, userId: string) => createHmac('sha256', Buffer.from(key, 'hex')).update(userId).digest('hex');
const keyFile = () => join(temp.dir(), MEMBER_HASH_KEY_FILE);
const metaKeys = () => temp.connect().prepare('SELECT key FROM meta ORDER BY key').pluck().all();

/** A database as the bot wrote it before keys left the database: schema version 1, a member opted out. */
function databaseWithSalt(): { salt: string; optedOut: string } {
  const db = new Database(temp.file());
  const context = { file: temp.file(), memberHashKey: new MemberHashKey(temp.dir(), undefined) };
  db.transaction(() => {
    MIGRATIONS[0]!(db, context);
    db.pragma('user_version = 1');
  })();
  const salt = db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'member_hash_salt'`).pluck().get()!;
  const optedOut = hmac(salt, MEMBER);
  db.prepare('INSERT INTO opt_outs (guild_id, member_hash, opted_out_at) VALUES (?, ?, ?)').run('g1', optedOut, NOW.getTime());
  db.close();
  return { salt, optedOut };
}

describe('the member hash key', () => {
  it('is made at first start in a file of the data directory that only the bot’s user may read, not in the database', async () => {
    const store = temp.open();
    const key = readFileSync(keyFile(), 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(store.memberHash(MEMBER)).toBe(hmac(key, MEMBER));
    await store.close();
    expect(metaKeys()).toEqual(['member_hash_key_check']);
    expect(readFileSync(temp.file()).includes(key)).toBe(false);
    expect(readFileSync(temp.file()).includes(Buffer.from(key, 'hex'))).toBe(false);
  });

  it('comes from MEMBER_HASH_KEY when set, and then no key file is made', async () => {
    const key = randomBytes(32).toString('hex');
    expect(temp.open({ memberHashKey: key }).memberHash(MEMBER)).toBe(hmac(key, MEMBER));
    expect(existsSync(keyFile())).toBe(false);
  });

  it('moves out of a database that kept it as a salt, so every stored hash stays valid', async () => {
    const { salt, optedOut } = databaseWithSalt();
    const store = temp.open();
    expect(readFileSync(keyFile(), 'utf8').trim()).toBe(salt);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(store.memberHash(MEMBER)).toBe(optedOut);
    expect(await store.isOptedOut('g1', store.memberHash(MEMBER))).toBe(true);
    expect(metaKeys()).toEqual(['member_hash_key_check']);
    expect(temp.connect().pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('moves out of such a database when MEMBER_HASH_KEY already holds the salt', async () => {
    const { salt, optedOut } = databaseWithSalt();
    expect(temp.open({ memberHashKey: salt }).memberHash(MEMBER)).toBe(optedOut);
    expect(existsSync(keyFile())).toBe(false);
    expect(metaKeys()).toEqual(['member_hash_key_check']);
  });

  it('stays in such a database, which is left as it was, when MEMBER_HASH_KEY is another key', async () => {
    databaseWithSalt();
    const message = (await openError(() => temp.open({ memberHashKey: randomBytes(32).toString('hex') }))).message;
    expect(message).toContain(`${temp.file()} holds member hashes made with the salt in its meta table, which differs from MEMBER_HASH_KEY`);
    expect(metaKeys()).toEqual(['member_hash_salt']);
    expect(temp.connect().pragma('user_version', { simple: true })).toBe(1);
  });

  it('is never replaced when lost: the bot refuses to start', async () => {
    await temp.open().close();
    rmSync(keyFile());
    const message = (await openError(() => temp.open())).message;
    expect(message).toBe(
      `${temp.file()}: the key its member hashes were made with is missing: restore ${keyFile()} from a backup, or set MEMBER_HASH_KEY to it`,
    );
    expect(existsSync(keyFile())).toBe(false);
  });

  it('is refused when it is not the key the database was used with', async () => {
    await temp.open({ memberHashKey: randomBytes(32).toString('hex') }).close();
    const message = (await openError(() => temp.open({ memberHashKey: randomBytes(32).toString('hex') }))).message;
    expect(message).toBe(`MEMBER_HASH_KEY is not the key the member hashes in ${temp.file()} were made with: restore the right one`);
  });

  it('is refused from a damaged key file, naming it', async () => {
    await temp.open().close();
    writeFileSync(keyFile(), 'not a key\n');
    expect((await openError(() => temp.open())).message).toBe(`${keyFile()} does not hold a member hash key (64 hex digits): restore it from a backup`);
  });
});
