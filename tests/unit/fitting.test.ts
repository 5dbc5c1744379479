import { describe, expect, it } from 'vitest';
import { sigmoid } from '../../src/answering/decision.js';
import { fitListwise, fitLogistic } from '../../src/learning/fitting.js';
import { assignFolds, seededRandom } from '../../src/learning/folds.js';
import { solveSymmetric } from '../../src/learning/linearAlgebra.js';

describe('fitting', () => {
  it('solves a symmetric positive-definite system', () => {
    const x = solveSymmetric([Float64Array.from([4, 1]), Float64Array.from([1, 3])], Float64Array.from([1, 2]));
    expect(x[0]).toBeCloseTo(1 / 11, 12);
    expect(x[1]).toBeCloseTo(7 / 11, 12);
  });

  it('recovers the weights that generated labels, and is deterministic', () => {
    const random = seededRandom(3);
    const rows = Array.from({ length: 4000 }, () => {
      const features = [random() * 4 - 2, random() * 4 - 2];
      const p = sigmoid(2 * features[0]! - 1 * features[1]! + 0.5);
      return { features, label: (random() < p ? 1 : 0) as 0 | 1 };
    });
    const weights = fitLogistic(rows, 0.01);
    expect(weights[0]).toBeCloseTo(2, 0);
    expect(weights[1]).toBeCloseTo(-1, 0);
    expect(weights[2]).toBeCloseTo(0.5, 0);
    expect([...fitLogistic(rows, 0.01)]).toEqual([...weights]);
  });

  it('shrinks weights as the penalty grows', () => {
    const rows = [0, 1, 2, 3].map((v) => ({ features: [v], label: (v > 1 ? 1 : 0) as 0 | 1 }));
    expect(Math.abs(fitLogistic(rows, 10)[0]!)).toBeLessThan(Math.abs(fitLogistic(rows, 0.1)[0]!));
  });

  it('learns to rank the candidate that answers above the others', () => {
    // The right candidate has the larger first feature; the second feature is noise.
    const random = seededRandom(5);
    const groups = Array.from({ length: 200 }, () => {
      const right = Math.floor(random() * 4);
      const candidates = [0, 1, 2, 3].map((i) => [i === right ? 1 + random() : random(), random()]);
      return { candidates, relevant: candidates.map((_, i) => i === right) };
    });
    const weights = fitListwise(groups, 0.1);
    expect(weights[0]).toBeGreaterThan(2);
    expect(Math.abs(weights[1]!)).toBeLessThan(weights[0]! / 4);
  });

  it('assigns folds stratified and reproducibly', () => {
    const groups = [...Array(50).fill('in'), ...Array(10).fill('out')] as string[];
    const folds = assignFolds(groups, 5, 1);
    expect(assignFolds(groups, 5, 1)).toEqual(folds);
    for (let fold = 0; fold < 5; fold++) {
      expect(folds.filter((f, i) => f === fold && groups[i] === 'out')).toHaveLength(2);
      expect(folds.filter((f, i) => f === fold && groups[i] === 'in')).toHaveLength(10);
    }
  });
});
