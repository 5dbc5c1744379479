// Small helpers shared by the benchmark's processes.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The p-th percentile (0–100) by the nearest-rank method; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const round = (value: number, digits = 2) => (Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : value);

let gc: (() => void) | undefined;

/** A full garbage collection, even without --expose-gc (so memory figures are live data, not garbage). */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
}

export interface Memory {
  /** Resident set size of the whole process, MB. */
  rssMB: number;
  /** Live JavaScript heap, MB. */
  heapMB: number;
  /** Memory outside the heap (typed arrays, buffers), MB. */
  externalMB: number;
}

export function memory(): Memory {
  collectGarbage();
  const m = process.memoryUsage();
  return { rssMB: round(m.rss / 2 ** 20, 1), heapMB: round(m.heapUsed / 2 ** 20, 1), externalMB: round(m.external / 2 ** 20, 1) };
}

export const now = () => performance.now();
