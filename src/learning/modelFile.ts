import type { AnswerModel } from '../answering/decision.js';
import { bankLists, encodeQuestionBank, type AskedQuestion } from '../answering/questionBank.js';

/** The model as committed: one feature per line, so a retrained model reads as a diff of weights. */
export function serializeModel(model: AnswerModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

/** One term, posting list, passage id or question's passages per line, the lists end to end as the file holds them. */
export function serializeQuestionBank(questions: readonly AskedQuestion[]): string {
  const file = encodeQuestionBank(questions);
  const each = (items: readonly unknown[]) => items.map((item) => JSON.stringify(item));
  // A list per line; an empty list adds nothing to the array and takes no line.
  const listed = (name: 'posting' | 'answer') => bankLists(file, name).filter((list) => list.length > 0).map((list) => list.join(', '));
  const field = (key: string, lines: string[]) => `  "${key}": [\n${lines.map((line) => `    ${line}`).join(',\n')}\n  ]`;
  return `{\n${[
    field('terms', each(file.terms)),
    field('postingEnds', each(file.postingEnds)),
    field('postings', listed('posting')),
    field('passages', each(file.passages)),
    field('answerEnds', each(file.answerEnds)),
    field('answers', listed('answer')),
  ].join(',\n')}\n}\n`;
}
