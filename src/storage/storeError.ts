/** A storage problem an operator must act on; the message names the database file and what to do. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** SQLite's codes for a write the database cannot take now: another process holds the lock, the disk is full or failing. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY)(_|$)/;

/** Whether a failure means "not saved, try again later" rather than a bug. */
export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && UNAVAILABLE_CODES.test(error.code);
}
