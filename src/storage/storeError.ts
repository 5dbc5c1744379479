/** A storage problem an operator must act on; the message names the database file and what to do. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/**
 * Codes for a write the database cannot take now. SQLite: another process holds the lock, the disk is full or
 * failing. PostgreSQL (SQLSTATE): the connection failed (08), the server is short of disk, memory or
 * connections (53), shutting down or starting (57P), a lock or statement timed out (55P03, 57014), a
 * transaction lost a race (40001, 40P01), or it is a read-only standby (25006). Node: the server is unreachable.
 */
const UNAVAILABLE_CODES = /^(SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY)(_|$)|08|53|57P|55P03$|57014$|40001$|40P01$|25006$|ECONNREFUSED$|ECONNRESET$|ETIMEDOUT$|EPIPE$)/;
/** node-postgres says so in words, without a code: a connection lost, or none free in time. */
const UNAVAILABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect)/;

/** Whether a failure means "not saved, try again later" rather than a bug. */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ('code' in error && typeof error.code === 'string') return UNAVAILABLE_CODES.test(error.code);
  return UNAVAILABLE_MESSAGES.test(error.message);
}
