/**
 * An append-only log that tests can wait on: "resolve with the first item matching X, whether it
 * already arrived or arrives later; on timeout, reject with a message listing what did arrive".
 */

export interface WaitOptions {
  /** Default 5000 ms. */
  timeoutMs?: number;
}

interface Waiter<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export const DEFAULT_WAIT_MS = 5_000;

export class WaitableLog<T> {
  readonly #items: T[] = [];
  readonly #waiters = new Set<Waiter<T>>();
  readonly #listeners = new Set<(item: T) => void>();
  readonly #describe: (item: T) => string;
  readonly #noun: string;
  #closedReason: string | null = null;

  constructor(noun: string, describe: (item: T) => string) {
    this.#noun = noun;
    this.#describe = describe;
  }

  /** The items, oldest first. The array is live; do not mutate it. */
  get items(): readonly T[] {
    return this.#items;
  }

  /** Calls `listener` for every future item; returns an unsubscribe function. */
  subscribe(listener: (item: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  push(item: T): void {
    this.#items.push(item);
    for (const listener of [...this.#listeners]) listener(item);
    for (const waiter of [...this.#waiters]) {
      let matches: boolean;
      try {
        matches = waiter.predicate(item);
      } catch (error) {
        this.#settle(waiter);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (matches) {
        this.#settle(waiter);
        waiter.resolve(item);
      }
    }
  }

  /** Forget the items recorded so far (waiters stay). */
  clear(): void {
    this.#items.length = 0;
  }

  find(predicate: (item: T) => boolean): T | undefined {
    return this.#items.find(predicate);
  }

  /**
   * Resolves with the first item (already recorded or future) matching `predicate`.
   * `description` names what is awaited in the timeout error.
   */
  waitFor(predicate: (item: T) => boolean, description: string, options: WaitOptions = {}): Promise<T> {
    // Created here so that the stack trace points at the caller, not at a timer.
    const timeoutError = new Error('timeout');
    if (this.#closedReason !== null) {
      return Promise.reject(new Error(`Cannot wait for ${description}: ${this.#closedReason}`));
    }
    const existing = this.#items.find(predicate);
    if (existing !== undefined) return Promise.resolve(existing);
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#settle(waiter);
          timeoutError.message = `Timed out after ${timeoutMs} ms waiting for ${description}.\n${this.summary()}`;
          reject(timeoutError);
        }, timeoutMs),
      };
      waiter.timer.unref();
      this.#waiters.add(waiter);
    });
  }

  /** "3 requests received: ..." — used in timeout messages. */
  summary(limit = 40): string {
    const count = this.#items.length;
    if (count === 0) return `No ${this.#noun} received at all.`;
    const shown = this.#items.slice(-limit).map((item) => `  - ${this.#describe(item)}`);
    const skipped = count > limit ? `  (${count - limit} earlier ones not shown)\n` : '';
    return `${count} ${this.#noun} received:\n${skipped}${shown.join('\n')}`;
  }

  /** Rejects every pending waiter and refuses new ones. */
  close(reason: string): void {
    this.#closedReason = reason;
    this.#listeners.clear();
    for (const waiter of [...this.#waiters]) {
      this.#settle(waiter);
      waiter.reject(new Error(`Stopped waiting: ${reason}.\n${this.summary()}`));
    }
  }

  #settle(waiter: Waiter<T>): void {
    clearTimeout(waiter.timer);
    this.#waiters.delete(waiter);
  }
}
