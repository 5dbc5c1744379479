import { withoutCode } from '../answering/messageSignals.js';
import { cleanQuestion } from '../search/terms.js';

/** Messages outside these bounds are chatter or essays, not questions the bot should jump into. */
export const MIN_QUESTION_CHARS = 8;
export const MAX_QUESTION_CHARS = 500;

/**
 * Whether a channel message is worth weighing at all: enough words outside its code to ask something, and not
 * an essay. Whether it is a question the bot should answer is the channel model's call (Engine.answerMessage).
 */
export function withinQuestionBounds(raw: string): boolean {
  if (raw.length > MAX_QUESTION_CHARS * 4) return false;
  const text = cleanQuestion(withoutCode(raw), MAX_QUESTION_CHARS * 2);
  return text.length >= MIN_QUESTION_CHARS && text.length <= MAX_QUESTION_CHARS && /\p{L}{2}/u.test(text);
}
