import type { AnswerModel } from '../answering/decision.js';
import type { AskedQuestion } from '../answering/questionBank.js';

/** The model as committed: one feature per line, so a retrained model reads as a diff of weights. */
export function serializeModel(model: AnswerModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

/** One question per line. */
export function serializeQuestionBank(questions: readonly AskedQuestion[]): string {
  return `[\n${questions.map((q) => JSON.stringify({ terms: q.terms, passages: q.passages })).join(',\n')}\n]\n`;
}
