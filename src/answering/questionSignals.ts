/** Below this confidence the engine says "not covered" rather than show a weak match. */
export const MIN_CONFIDENCE = 0.4;
import { englishRank } from '../search/englishWords.js';
import { STOP_WORDS } from '../search/lexicon.js';
import type { Word } from '../search/terms.js';

/** Rank in everyday English above which a word belongs to the field ("salary", "model") rather than to chat. */
const EVERYDAY_RANK = 1000;
/** Rank from which an unknown word is as telling as the rarest word of the knowledge base ("cuda", "gini"). */
const RARE_RANK = 30_000;
/** A question that breaks one of the subject checks keeps at most this share of its coverage. */
const SUBJECT_MISMATCH_FACTOR = 0.4;

export type DeclineReason = 'nothing-matched' | 'off-topic' | 'weak-match' | 'other-subject' | 'unknown-place' | 'small-talk';

export interface QuestionEvidence {
  /**
   * Content terms of the question: their weight, whether the best passage has them, whether the answer as a
   * whole (up to three passages) has them, and whether they are the field's words.
   */
  terms: { weight: number; matchedByBest: boolean; matchedByAnswer: boolean; domain: boolean }[];
  /** The subject is another role than the knowledge base's, or one of the roles but the best passage is not about it. */
  otherSubject: boolean;
  /** A salary question about a place the knowledge base has no figures for. */
  placeUnknown: boolean;
  smallTalk: boolean;
}

export interface Assessment {
  confidence: number;
  declineReason?: DeclineReason;
}

/** 0 for the commonest words of spoken English, rising to 1 for rare words and words it lacks ("pytorch"). */
function rarity(phrase: string): number {
  const rank = Math.max(
    ...phrase
      .toLowerCase()
      .split(/\s+/)
      .map((word) => (/^\d+$/.test(word) ? 1 : (englishRank(word) ?? RARE_RANK))),
  );
  const scaled = (Math.log10(Math.max(rank, EVERYDAY_RANK)) - Math.log10(EVERYDAY_RANK)) / (Math.log10(RARE_RANK) - Math.log10(EVERYDAY_RANK));
  return Math.min(1, scaled);
}

/**
 * What a question word weighs in its confidence. A word the knowledge base uses weighs its rarity there (its
 * idf); a word it never uses weighs like its rarest word. Either way an everyday word weighs less: members pad
 * questions with them ("hate", "look like"), while a rare word the knowledge base lacks ("cuda", "backprop")
 * names a subject it does not cover. An `incidental` word (context, such as where the member lives) weighs
 * like the most everyday one.
 */
export function questionWordWeight(surface: string, knowledgeIdf: number | undefined, rarestIdf: number, incidental = false): number {
  const r = incidental ? 0 : rarity(surface);
  return knowledgeIdf === undefined ? rarestIdf * Math.max(0.15, r) : knowledgeIdf * (0.35 + 0.65 * r);
}

/** A word of the field rather than of everyday talk: outside the commonest words of spoken English. */
export function isDomainWord(phrase: string): boolean {
  return phrase
    .toLowerCase()
    .split(/\s+/)
    .some((word) => (englishRank(word) ?? Infinity) > EVERYDAY_RANK);
}

/**
 * Confidence is the share of the question's weight that the answer matches (its best passage, and the
 * passages beside it, half each), where each word weighs its rarity. A question is also declined when none of the words it matched belongs to the field ("who won
 * the league last year" matches "last" and "year"), or when it is off subject however well its words
 * match: another role, a country whose pay the sources never give, small talk.
 */
export function assessConfidence(evidence: QuestionEvidence): Assessment {
  const total = evidence.terms.reduce((sum, t) => sum + t.weight, 0);
  const share = (matched: (t: QuestionEvidence['terms'][number]) => boolean) =>
    total > 0 ? evidence.terms.filter(matched).reduce((sum, t) => sum + t.weight, 0) / total : 0;
  // The best passage carries the answer; the passages beside it complete it.
  const coverage = (share((t) => t.matchedByBest) + share((t) => t.matchedByAnswer)) / 2;
  const mismatch: DeclineReason | undefined = evidence.smallTalk
    ? 'small-talk'
    : evidence.placeUnknown
      ? 'unknown-place'
      : evidence.otherSubject
        ? 'other-subject'
        : !evidence.terms.some((t) => t.matchedByBest && t.domain)
          ? 'off-topic'
          : undefined;
  const confidence = Math.round((mismatch ? Math.min(coverage * SUBJECT_MISMATCH_FACTOR, MIN_CONFIDENCE - 0.01) : coverage) * 100) / 100;
  if (coverage === 0) return { confidence: 0, declineReason: 'nothing-matched' };
  if (mismatch) return { confidence, declineReason: mismatch };
  return confidence >= MIN_CONFIDENCE ? { confidence } : { confidence, declineReason: 'weak-match' };
}

const SMALL_TALK = new RegExp(
  [
    /^(hi|hello|hey|yo|sup|good (morning|evening|night))\b[\s!.?]*$/,
    // "how are you", "how's ur day going lol"; but not "how are you supposed to learn maths for ML".
    /\bhow('?s| is| are| r) (it going|things|life|you|u|ur|your)\b.{0,20}$/,
    /\bwhat'?s up\b[\s!.?]*$/,
    /\b(who|what) (are|made|built) (you|u)\b/,
    /\bare (you|u) (a bot|real|human|alive|sentient|ok)\b/,
    /^(thanks|thank you|thx|ty)\b/,
  ]
    .map((pattern) => pattern.source)
    .join('|'),
  'i',
);

/**
 * "become a nurse", "work as a pilot", "how much do airline pilots make", "lawyer salary": a question about an
 * occupation the knowledge base never mentions, which a passage about ML engineers must not answer.
 */
export function namesUnknownOccupation(words: readonly Word[], isKnown: (word: string) => boolean): boolean {
  const text = words.map((w) => w.word);
  const unknown = (slice: string[]) => slice.length > 0 && slice.some((word) => !isKnown(word));
  for (let i = 0; i < text.length; i++) {
    const next = text[i + 1] === 'a' || text[i + 1] === 'an' ? i + 2 : -1;
    if (next > 0 && (text[i] === 'become' || (text[i] === 'as' && text[i - 1] === 'work')) && unknown(text.slice(next, next + 1))) return true;
    if (['salary', 'salaries', 'pay'].includes(text[i]!) && i > 0 && !STOP_WORDS.has(text[i - 1]!) && unknown([text[i - 1]!])) return true;
  }
  const asked = / (?:how much|what) (?:do|does) (?:an? )?((?:\S+ ){1,2})(?:make|earn|get paid)\b/.exec(` ${text.join(' ')} `);
  return asked !== null && unknown(asked[1]!.trim().split(' '));
}

/** Greetings and questions about the bot itself, which the knowledge base is not about. */
export function isSmallTalk(question: string): boolean {
  return SMALL_TALK.test(question);
}
