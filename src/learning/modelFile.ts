import type { AnswerModel } from '../answering/decision.js';
import { encodeQuestionBank, type AskedQuestion } from '../answering/questionBank.js';

/** The model as committed: one feature per line, so a retrained model reads as a diff of weights. */
export function serializeModel(model: AnswerModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

/** The terms and passage ids one per line, then one question per line. */
export function serializeQuestionBank(questions: readonly AskedQuestion[]): string {
  const { terms, passages, questions: encoded } = encodeQuestionBank(questions);
  const lines = (items: readonly unknown[]) => items.map((item) => `    ${JSON.stringify(item)}`).join(',\n');
  return `{\n  "terms": [\n${lines(terms)}\n  ],\n  "passages": [\n${lines(passages)}\n  ],\n  "questions": [\n${lines(encoded)}\n  ]\n}\n`;
}
