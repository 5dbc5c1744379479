import { z } from 'zod';

// The labelled sets the answer model learns from (tests/eval/train.json, tests/eval/channel.json): written as
// members write, disjoint from the development and held-out sets that judge the model.

const style = z.enum(['chat', 'typos', 'backstory', 'non-native', 'terse', 'plain']);
const reason = z.object({ category: z.string().min(1), reason: z.string().min(1) }).strict();
const passageIds = z.array(z.string().min(1)).min(1);

export const labelledQuestionSchema = z.union([
  z.object({ id: z.string(), question: z.string().min(1), style, passages: passageIds }).strict(),
  z.object({ id: z.string(), question: z.string().min(1), style, outOfScope: reason }).strict(),
]);
export type LabelledQuestion = z.infer<typeof labelledQuestionSchema>;
export const labelledQuestionsSchema = z.array(labelledQuestionSchema).min(1);

export const labelledMessageSchema = z.union([
  z.object({ id: z.string(), message: z.string().min(1), style: z.string(), passages: passageIds }).strict(),
  z.object({ id: z.string(), message: z.string().min(1), style: z.string(), leaveAlone: reason }).strict(),
]);
export type LabelledMessage = z.infer<typeof labelledMessageSchema>;
export const labelledMessagesSchema = z.array(labelledMessageSchema).min(1);

/** The passages that answer an item; empty when it must be declined or left alone. */
export function answeringPassages(item: LabelledQuestion | LabelledMessage): readonly string[] {
  return 'passages' in item ? item.passages : [];
}

/** A question put to the channel: one to answer, or one the knowledge base does not cover. */
export function asksTheChannel(message: LabelledMessage): boolean {
  return 'passages' in message || message.leaveAlone.category === 'off-topic-question';
}

/**
 * One message in five (by a hash of its id, so adding messages moves none) is held out of the channel model's
 * fitting and choosing: `npm run eval` reads the channel figures on it.
 */
export function isHeldOutMessage(id: string): boolean {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash % 5 === 0;
}
