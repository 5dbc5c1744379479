/** Predicted probability against observed rate, in bins of a tenth: whether a stated confidence can be taken at its word. */
export function reliabilityTable(outcomes: readonly { probability: number; right: boolean }[]): string {
  const bins = Array.from({ length: 10 }, () => ({ count: 0, predicted: 0, right: 0 }));
  for (const { probability, right } of outcomes) {
    const bin = bins[Math.min(9, Math.floor(probability * 10))]!;
    bin.count++;
    bin.predicted += probability;
    if (right) bin.right++;
  }
  const rows = bins
    .map((bin, i) => ({ ...bin, range: `${i * 10}–${(i + 1) * 10} %` }))
    .filter((bin) => bin.count > 0)
    .map((bin) => `  ${bin.range.padEnd(10)} ${String(bin.count).padStart(5)}   ${pct(bin.predicted / bin.count).padStart(6)}   ${pct(bin.right / bin.count).padStart(6)}`);
  const brier = outcomes.reduce((sum, o) => sum + (o.probability - (o.right ? 1 : 0)) ** 2, 0) / Math.max(1, outcomes.length);
  return ['  confidence  count  predicted  observed', ...rows, `  Brier score ${brier.toFixed(3)} (0 is perfect)`].join('\n');
}

function pct(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** The chance that a right answer gets a higher confidence than a wrong one (ROC AUC): how well confidence ranks, whatever the line. */
export function rankingQuality(outcomes: readonly { probability: number; right: boolean }[]): number {
  const right = outcomes.filter((o) => o.right).map((o) => o.probability);
  const wrong = outcomes.filter((o) => !o.right).map((o) => o.probability);
  let above = 0;
  for (const r of right) for (const w of wrong) above += r > w ? 1 : r === w ? 0.5 : 0;
  return right.length && wrong.length ? above / (right.length * wrong.length) : 1;
}
