import { dot, sigmoid, softmax } from '../answering/decision.js';
import { solveSymmetric } from './linearAlgebra.js';

/**
 * Fitting happens offline (`npm run train`) by Newton's method with step halving: the problems are small (a
 * few dozen features, about a thousand rows), convex or nearly so, and Newton reaches the optimum in a handful
 * of exact, deterministic steps, so the committed weights are reproducible to the last digit.
 */
const MAX_STEPS = 100;
const TOLERANCE = 1e-10;

/** Weights for features already centred and scaled, with the bias last. */
export type Weights = Float64Array;

export interface LabelledRow {
  features: readonly number[];
  label: 0 | 1;
  weight?: number;
}

/** Logistic regression with an L2 penalty on the weights (not on the bias). */
export function fitLogistic(rows: readonly LabelledRow[], l2: number): Weights {
  const n = (rows[0]?.features.length ?? 0) + 1;
  const withBias = rows.map((row) => ({ x: Float64Array.from([...row.features, 1]), y: row.label, w: row.weight ?? 1 }));
  const loss = (beta: Weights) =>
    withBias.reduce((sum, { x, y, w }) => {
      const z = dot(beta, x);
      return sum + w * (Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))));
    }, 0) + penalty(beta, l2);
  return newton(n, loss, (beta, gradient, hessian) => {
    for (const { x, y, w } of withBias) {
      const p = sigmoid(dot(beta, x));
      addOuter(hessian, x, w * p * (1 - p));
      for (let i = 0; i < n; i++) gradient[i]! += w * (p - y) * x[i]!;
    }
  }, l2);
}

export interface RankingGroup {
  /** Feature vectors of the candidates for one question, in retrieval order. */
  candidates: readonly (readonly number[])[];
  /** Which candidates answer the question; a group with none teaches nothing and is skipped. */
  relevant: readonly boolean[];
}

/**
 * A linear scoring function for re-ranking (listwise): it maximises, per question, the softmax probability of
 * the candidates that answer it. The Hessian is replaced by the (positive semi-definite) covariance of the
 * features under the softmax, so every step is a descent direction even with several right candidates.
 */
export function fitListwise(groups: readonly RankingGroup[], l2: number): Weights {
  const useful = groups
    .filter((g) => g.relevant.some(Boolean) && !g.relevant.every(Boolean))
    .map((g) => ({ candidates: g.candidates.map((x) => Float64Array.from(x)), relevant: g.relevant }));
  const n = useful[0]?.candidates[0]?.length ?? 0;
  const chances = (beta: Weights, group: (typeof useful)[number]) => softmax(group.candidates.map((x) => dot(beta, x)));
  const loss = (beta: Weights) =>
    useful.reduce((sum, g) => sum - Math.log(chances(beta, g).reduce((s, p, i) => s + (g.relevant[i] ? p : 0), 0)), 0) + penalty(beta, l2, n);
  const mean = new Float64Array(n);
  const centred = new Float64Array(n);
  const weights = newton(n, loss, (beta, gradient, hessian) => {
    for (const group of useful) {
      const p = chances(beta, group);
      let relevantMass = 0;
      for (let i = 0; i < p.length; i++) if (group.relevant[i]) relevantMass += p[i]!;
      mean.fill(0);
      for (let i = 0; i < p.length; i++) {
        const x = group.candidates[i]!;
        for (let j = 0; j < n; j++) mean[j]! += p[i]! * x[j]!;
      }
      for (let i = 0; i < p.length; i++) {
        const x = group.candidates[i]!;
        const q = group.relevant[i] ? p[i]! / relevantMass : 0;
        for (let j = 0; j < n; j++) {
          centred[j] = x[j]! - mean[j]!;
          gradient[j]! += (p[i]! - q) * x[j]!;
        }
        // The unlikely candidates barely bend the loss: the step is steered without them, the gradient is exact.
        if (p[i]! > 1e-6) addOuter(hessian, centred, p[i]!);
      }
    }
  }, l2, n);
  return weights;
}

/** Minimises `loss` from zero; `accumulate` adds the data's gradient and Hessian, the penalty is added here. */
function newton(
  n: number,
  loss: (beta: Weights) => number,
  accumulate: (beta: Weights, gradient: Float64Array, hessian: Float64Array[]) => void,
  l2: number,
  penalised = n - 1,
): Weights {
  let beta: Weights = new Float64Array(n);
  let current = loss(beta);
  for (let step = 0; step < MAX_STEPS; step++) {
    const gradient = new Float64Array(n);
    const hessian = Array.from({ length: n }, () => new Float64Array(n));
    accumulate(beta, gradient, hessian);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) hessian[j]![i] = hessian[i]![j]!;
    for (let i = 0; i < n; i++) {
      const ridge = i < penalised ? l2 : 1e-9;
      gradient[i]! += (i < penalised ? l2 : 0) * beta[i]!;
      hessian[i]![i]! += ridge;
    }
    const direction = solveSymmetric(hessian, gradient);
    let size = 1;
    let next = beta.map((b, i) => b - direction[i]!);
    let nextLoss = loss(next);
    while (nextLoss > current && size > 1e-6) {
      size /= 2;
      next = beta.map((b, i) => b - size * direction[i]!);
      nextLoss = loss(next);
    }
    if (!(nextLoss <= current)) break;
    const improvement = current - nextLoss;
    beta = next;
    current = nextLoss;
    if (improvement < TOLERANCE * Math.max(1, Math.abs(current))) break;
  }
  return beta;
}

function penalty(beta: Weights, l2: number, penalised = beta.length - 1): number {
  let sum = 0;
  for (let i = 0; i < penalised; i++) sum += beta[i]! * beta[i]!;
  return (l2 / 2) * sum;
}

/** Adds scale · x xᵀ to the lower triangle (newton mirrors it once per step: the matrix is symmetric). */
function addOuter(matrix: Float64Array[], x: ArrayLike<number>, scale: number): void {
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]! * scale;
    if (xi === 0) continue;
    const row = matrix[i]!;
    for (let j = 0; j <= i; j++) row[j]! += xi * x[j]!;
  }
}
