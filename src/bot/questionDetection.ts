import { cleanQuestion } from '../search/terms.js';

/** Messages outside these bounds are chatter or essays, not questions the bot should jump into. */
export const MIN_QUESTION_CHARS = 8;
export const MAX_QUESTION_CHARS = 500;

const QUESTION_START =
  /^(what|whats|what's|which|how|hows|how's|why|when|where|who|whom|whose|should|shall|do|does|did|is|isn't|are|aren't|can|could|would|will|any|anyone|anybody|is there|are there|has anyone|have you|need|recommend)\b/i;
const QUESTION_PHRASES = /\b(vs\.?|versus|difference between|compared to|or should i|any (tips|advice|recommendations)|advice on|tips (for|on)|how (do|can|should) i|is it worth|what should i)\b/i;

/**
 * Whether a channel message looks like a question the bot may answer unasked: a question mark, a question
 * word at the start, or a comparison, within a sensible length; never a message that is mostly code.
 */
export function looksLikeQuestion(raw: string): boolean {
  if (raw.length > MAX_QUESTION_CHARS * 2 || /```/.test(raw)) return false;
  const text = cleanQuestion(raw, MAX_QUESTION_CHARS * 2);
  if (text.length < MIN_QUESTION_CHARS || text.length > MAX_QUESTION_CHARS) return false;
  if (!/[a-z]{2}/i.test(text)) return false;
  return /\?/.test(text) || QUESTION_START.test(text) || QUESTION_PHRASES.test(text);
}
