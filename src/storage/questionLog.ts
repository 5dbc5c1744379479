import type { Logger } from '../logger.js';
import type { MemberHash, QuestionRecord, Store } from './store.js';

export interface QuestionLogOptions {
  /** Questions kept in memory while the database refuses writes; past this, new ones are not recorded. */
  capacity?: number;
  /** How long to wait before writing again after a failed write. */
  retryMs?: number;
}

/** Minutes of the busiest load the bot was tried with (2,000 questions a minute), in a few megabytes. */
const DEFAULT_CAPACITY = 10_000;
const DEFAULT_RETRY_MS = 1_000;

/**
 * Records asked questions for /kb stats, best-effort and after the answer: a locked, busy or full database
 * must never hold up or fail an answer. Questions queue in memory and are written in batches, retried while
 * the database refuses them; when the queue is full, new questions are dropped, and the log says so once.
 */
export class QuestionLog {
  private queue: QuestionRecord[] = [];
  private nextWrite: NodeJS.Timeout | undefined;
  /** The write under way; questions recorded meanwhile go in the next one, so writes never overlap. */
  private writing: Promise<boolean> | undefined;
  private writingCount = 0;
  private failing = false;
  private dropped = 0;
  private readonly capacity: number;
  private readonly retryMs: number;

  constructor(
    private readonly store: Pick<Store, 'logQuestions'>,
    private readonly logger: Logger,
    options: QuestionLogOptions = {},
  ) {
    this.capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  }

  /** Questions recorded and not yet written, the write under way included: a backlog if it keeps growing. */
  get waiting(): number {
    return this.queue.length + this.writingCount;
  }

  /** Queues a question to be written on a later turn of the event loop, off the answer's way. Never throws. */
  record(question: QuestionRecord): void {
    if (this.waiting >= this.capacity) {
      if (this.dropped++ === 0) {
        this.logger.warn({ capacity: this.capacity }, 'the question queue is full: questions asked from now on are not recorded until the database takes writes again');
      }
      return;
    }
    this.queue.push(question);
    // While a retry is pending, it writes this one too.
    this.nextWrite ??= this.writeAfter(0);
  }

  /** Writes what is queued now, after the write under way; false when the database refused it. */
  async flush(): Promise<boolean> {
    while (this.writing) await this.writing;
    if (this.queue.length === 0) return true;
    clearTimeout(this.nextWrite);
    return this.write();
  }

  /**
   * Drops a member's queued questions (for /forget-me) and returns how many; resolves once a write under way
   * has ended, so that deleting their questions from the database afterwards deletes those too.
   */
  async forget(member: MemberHash): Promise<number> {
    const before = this.queue.length;
    this.queue = this.queue.filter((question) => question.asker !== member);
    await this.writing;
    return before - this.queue.length;
  }

  /** A last write before the database closes; what still cannot be written is lost, and logged as such. */
  async stop(): Promise<void> {
    if (!(await this.flush())) this.logger.warn({ lost: this.queue.length }, 'could not record the last questions before stopping');
    clearTimeout(this.nextWrite);
    this.queue = [];
  }

  private writeAfter(ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      this.nextWrite = undefined;
      // A write under way schedules the next when it ends.
      if (!this.writing) void this.write();
    }, ms).unref();
  }

  private write(): Promise<boolean> {
    this.nextWrite = undefined;
    const batch = this.queue;
    this.queue = [];
    this.writingCount = batch.length;
    // Deferred a turn: a store that throws at once is refused like one that rejects.
    const writing = Promise.resolve().then(() => this.store.logQuestions(batch)).then(
      () => {
        if (this.failing) this.logger.info({ recorded: batch.length, dropped: this.dropped }, 'recording questions again');
        this.failing = false;
        this.dropped = 0;
        return true;
      },
      (error: unknown) => {
        if (!this.failing) this.logger.warn({ err: error, queued: batch.length + this.queue.length }, 'could not record questions; keeping them in memory and trying again');
        this.failing = true;
        this.queue = [...batch, ...this.queue];
        return false;
      },
    );
    this.writing = writing.then((written) => {
      this.writing = undefined;
      this.writingCount = 0;
      if (this.queue.length > 0) this.nextWrite ??= this.writeAfter(written ? 0 : this.retryMs);
      return written;
    });
    return this.writing;
  }
}
