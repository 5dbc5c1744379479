import type { AnswerModel } from '../answering/decision.js';
import { encodeQuestionBank, type AskedQuestion } from '../answering/questionBank.js';

/** The model as committed: one feature per line, so a retrained model reads as a diff of weights. */
export function serializeModel(model: AnswerModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

/** One term, posting list, passage id or question's answer per line. */
export function serializeQuestionBank(questions: readonly AskedQuestion[]): string {
  const file = encodeQuestionBank(questions);
  const lines = (items: readonly unknown[]) => items.map((item) => `    ${JSON.stringify(item)}`).join(',\n');
  return `{\n${Object.entries(file).map(([key, items]) => `  "${key}": [\n${lines(items)}\n  ]`).join(',\n')}\n}\n`;
}
