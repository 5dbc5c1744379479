import type { AnswerModel } from '../answering/decision.js';

/** The model as committed: one feature per line, so a retrained model reads as a diff of weights. */
export function serializeModel(model: AnswerModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
