import { z } from 'zod';
import type { Answer, AnswerPassage } from '../answering/engine.js';

export const evalQuestionSchema = z.object({
  id: z.string(),
  kind: z.string(),
  question: z.string().min(1),
  /** Groups of alternatives: a right answer contains one alternative of every group. Empty: must decline. */
  expect: z.array(z.array(z.string().min(1)).min(1)),
});
export type EvalQuestion = z.infer<typeof evalQuestionSchema>;
export const evalSetSchema = z.array(evalQuestionSchema).min(1);

export const OUT_OF_SCOPE = 'out-of-scope';

/** Lower case, punctuation as spaces: "$146,085" reads "146 085", "Master's" reads "master s". */
export function normalizeForGrading(text: string, keep = ''): string {
  const other = new RegExp(`[^a-z0-9${keep}]+`, 'g');
  return ` ${text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(other, ' ').trim()} `;
}

/** Whether normalised text holds an alternative; a `*` makes the word before it a prefix. */
export function containsAlternative(normalizedText: string, alternative: string): boolean {
  const words = normalizeForGrading(alternative, '*').trim();
  const pattern = words
    .split(' ')
    .map((word) => word.replace(/\*+$/, '').replace(/[^a-z0-9]/g, '') + (word.endsWith('*') ? '[a-z0-9]*' : ''))
    .join(' ');
  return new RegExp(` ${pattern} `).test(normalizedText);
}

/** The groups a text misses (empty when every group is met). */
export function missingGroups(text: string, expect: readonly string[][]): string[][] {
  const normalized = normalizeForGrading(text);
  return expect.filter((group) => !group.some((alternative) => containsAlternative(normalized, alternative)));
}

export interface Grade {
  question: EvalQuestion;
  right: boolean;
  answered: boolean;
  confidence: number;
  missing: string[][];
  top1: boolean;
  top3: boolean;
}

/** In scope: answered and every group met. Out of scope: declined. Top-k: one of the first k passages alone meets every group. */
export function grade(question: EvalQuestion, answer: Answer, ranked: readonly AnswerPassage[]): Grade {
  const outOfScope = question.kind === OUT_OF_SCOPE || question.expect.length === 0;
  const missing = outOfScope ? [] : missingGroups(answer.text, question.expect);
  const passageHits = ranked.map((p) => !outOfScope && missingGroups(`${p.title}\n${p.text}`, question.expect).length === 0);
  return {
    question,
    right: outOfScope ? !answer.answered : answer.answered && missing.length === 0,
    answered: answer.answered,
    confidence: answer.confidence,
    missing,
    top1: passageHits[0] === true,
    top3: passageHits.slice(0, 3).includes(true),
  };
}

export interface EvalSummary {
  inScope: { right: number; total: number };
  outOfScope: { right: number; total: number };
  byKind: Record<string, { right: number; total: number }>;
  top1: number;
  top3: number;
  passed: boolean;
}

export const TARGETS = { inScopeShare: 0.9, outOfScopeShare: 0.75 };

export function summarize(grades: readonly Grade[]): EvalSummary {
  const inScope = grades.filter((g) => g.question.kind !== OUT_OF_SCOPE);
  const outOfScope = grades.filter((g) => g.question.kind === OUT_OF_SCOPE);
  const byKind: EvalSummary['byKind'] = {};
  for (const g of grades) {
    const kind = (byKind[g.question.kind] ??= { right: 0, total: 0 });
    kind.total++;
    if (g.right) kind.right++;
  }
  const count = (list: readonly Grade[], test: (g: Grade) => boolean) => list.filter(test).length;
  const summary = {
    inScope: { right: count(inScope, (g) => g.right), total: inScope.length },
    outOfScope: { right: count(outOfScope, (g) => g.right), total: outOfScope.length },
    byKind,
    top1: count(inScope, (g) => g.top1),
    top3: count(inScope, (g) => g.top3),
  };
  const passed =
    summary.inScope.right >= TARGETS.inScopeShare * summary.inScope.total &&
    summary.outOfScope.right >= TARGETS.outOfScopeShare * summary.outOfScope.total;
  return { ...summary, passed };
}
