import { createHmac, randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemberHash } from './store.js';
import { StoreError } from './storeError.js';

/** The key file's name in the data directory. */
export const MEMBER_HASH_KEY_FILE = 'member-hash.key';

/** 32 bytes as 64 lowercase hex digits: how keys are written, in the key file and in MEMBER_HASH_KEY. */
export const MEMBER_HASH_KEY_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The HMAC key behind member hashes, kept outside the database so that a copy of the database alone cannot
 * match hashes to a list of member ids: MEMBER_HASH_KEY when set, else a file in the data directory that only
 * the bot's user may read.
 */
export class MemberHashKey {
  readonly file: string;

  constructor(
    dataDir: string,
    private readonly configured: string | undefined,
  ) {
    this.file = join(dataDir, MEMBER_HASH_KEY_FILE);
  }

  /** Where the key comes from, for messages. */
  get source(): string {
    return this.configured === undefined ? this.file : 'MEMBER_HASH_KEY';
  }

  /** The key, or undefined when none was configured and the file does not exist yet. */
  read(): string | undefined {
    if (this.configured !== undefined) return this.configured;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreError(`Cannot read the member hash key ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    const key = text.trim();
    if (!MEMBER_HASH_KEY_PATTERN.test(key)) {
      throw new StoreError(`${this.file} does not hold a member hash key (64 hex digits): restore it from a backup`);
    }
    return key;
  }

  /**
   * Writes the key file, readable by the bot's user only, unless it exists: of two processes creating it at
   * once, the first wins and both use its key. A file is never half-written (written aside, then linked).
   */
  create(key = randomBytes(32).toString('hex')): string {
    const aside = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(aside, `${key}\n`, { mode: 0o600, flag: 'wx' });
      linkSync(aside, this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StoreError(`Cannot write the member hash key ${this.file}: ${(error as Error).message}`, { cause: error });
      }
    } finally {
      rmSync(aside, { force: true });
    }
    return this.read()!;
  }
}

/** A member's id as stored: an HMAC with the key, never the id. */
export function memberHash(key: Buffer, userId: string): MemberHash {
  return createHmac('sha256', key).update(userId).digest('hex') as MemberHash;
}

/** Where the database keeps memberHashKeyCheck of its key, in its meta table. */
export const KEY_CHECK_META_KEY = 'member_hash_key_check';

/**
 * The member hash key for a database whose meta table holds `storedCheck` (or none yet): a key is made only for
 * a database that never had one, and a missing or different key stops the bot, since it would silently unlink
 * every member's opt-out and records from them. Call it again after storing the check, in case another process
 * stored its own first.
 */
export function memberHashKeyFor(source: MemberHashKey, storedCheck: string | undefined, database: string): string {
  let key = source.read();
  if (key === undefined) {
    if (storedCheck !== undefined) {
      throw new StoreError(
        `${database}: the key its member hashes were made with is missing: restore ${source.file} from a backup, or set MEMBER_HASH_KEY to it`,
      );
    }
    key = source.create();
  }
  if (storedCheck !== undefined && storedCheck !== memberHashKeyCheck(key)) {
    throw new StoreError(`${source.source} is not the key the member hashes in ${database} were made with: restore the right one`);
  }
  return key;
}

/** What the database keeps to recognise its key: an HMAC of a fixed text, which cannot give the key back. */
export function memberHashKeyCheck(key: string): string {
  return createHmac('sha256', Buffer.from(key, 'hex')).update('ml-career-bot member hash key check').digest('hex');
}
