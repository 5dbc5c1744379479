/** A small seeded generator (mulberry32): the same seed gives the same folds on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * The fold of each item for k-fold cross-validation, stratified by `group` (in scope or not, say) so that
 * every fold holds each kind in the same proportion.
 */
export function assignFolds(groups: readonly string[], k: number, seed: number): number[] {
  const random = seededRandom(seed);
  const folds = new Array<number>(groups.length).fill(0);
  const byGroup = new Map<string, number[]>();
  groups.forEach((group, i) => byGroup.set(group, [...(byGroup.get(group) ?? []), i]));
  let next = 0;
  for (const group of [...byGroup.keys()].sort()) {
    for (const i of shuffled(byGroup.get(group)!, random)) folds[i] = next++ % k;
  }
  return folds;
}

/** Per-feature mean and spread, so that one penalty fits features of any range. */
export interface Scaling {
  mean: number[];
  scale: number[];
}

export function scalingOf(rows: readonly (readonly number[])[]): Scaling {
  const n = rows[0]?.length ?? 0;
  const mean = Array.from({ length: n }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / Math.max(1, rows.length));
  const scale = mean.map((m, j) => {
    const variance = rows.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / Math.max(1, rows.length);
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { mean, scale };
}

export function applyScaling(row: readonly number[], { mean, scale }: Scaling): number[] {
  return row.map((v, j) => (v - mean[j]!) / scale[j]!);
}
