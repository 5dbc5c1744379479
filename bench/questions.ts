// The benchmark's questions: real member questions from the two evaluation sets.
import { readFileSync } from 'node:fs';
import { evalSetSchema, type EvalQuestion } from '../src/evaluation/grading.js';
import { packagePath } from '../src/packageRoot.js';

export const DEV_SET = packagePath('tests', 'eval', 'dev.json');
export const HOLDOUT_SET = packagePath('tests', 'eval', 'holdout.json');

export function loadSet(file: string): EvalQuestion[] {
  return evalSetSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * The fixed mix every system is timed on (the slow baselines cannot afford all 130 questions at 100,000
 * passages): comparisons, tools, short, long and misspelt questions, in-scope and out-of-scope.
 */
export const HEAD_TO_HEAD: Record<string, string[]> = {
  comparison: ['d01', 'd02', 'd03', 'h05', 'h10', 'h13'],
  tools: ['d09', 'd10', 'd11', 'h24', 'h27'],
  short: ['d18', 'd32', 'h61', 'h86', 'd37'],
  long: ['h08', 'h55', 'h64', 'h67'],
  typo: ['d15', 'h04', 'h16', 'h31'],
};

export interface BenchQuestion extends EvalQuestion {
  /** comparison, tools, short (≤ 5 words), long (≥ 18 words), typo (the engine corrects a word). */
  categories: string[];
}

const TYPO_IDS = new Set([...HEAD_TO_HEAD.typo!, 'h05', 'h27']);

/** Every question of both sets (130), with its categories. */
export function allQuestions(): BenchQuestion[] {
  return [...loadSet(DEV_SET), ...loadSet(HOLDOUT_SET)].map((q) => {
    const words = q.question.split(/\s+/).length;
    const categories = [
      ...(q.kind === 'compare' ? ['comparison'] : []),
      ...(q.kind === 'tools' ? ['tools'] : []),
      ...(words <= 5 ? ['short'] : []),
      ...(words >= 18 ? ['long'] : []),
      ...(TYPO_IDS.has(q.id) ? ['typo'] : []),
    ];
    return { ...q, categories };
  });
}

export function headToHead(): BenchQuestion[] {
  const ids = [...new Set(Object.values(HEAD_TO_HEAD).flat())];
  const byId = new Map(allQuestions().map((q) => [q.id, q]));
  return ids.map((id) => {
    const q = byId.get(id);
    if (!q) throw new Error(`benchmark question ${id} is not in the evaluation sets`);
    return q;
  });
}
