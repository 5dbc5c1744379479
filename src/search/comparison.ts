import { ROLE_IDS, ROLE_TERMS, type RoleId } from './lexicon.js';
import type { Term, Word } from './terms.js';

/** Cues that ask for a comparison even when only one role is named ("how is a statistician different?"). */
const STRONG_CUES = new Set(['vs', 'v', 'versus', 'difference', 'differences', 'different', 'differ', 'differs', 'compare', 'compared', 'comparison', 'comparing', 'contrast', 'distinguish']);
/** Cues that only ask for a comparison between two named roles ("the DS or the ML engineer?"). */
const WEAK_CUES = new Set(['or', 'between', 'better', 'same', 'similar', 'similarities', 'alike', 'common', 'overlap', 'which', 'than', 'more', 'less', 'whose']);

const ROLE_OF_TERM = new Map(Object.entries(ROLE_TERMS).map(([role, term]) => [term, role as RoleId]));

export function isComparisonCue(word: string): boolean {
  return STRONG_CUES.has(word) || WEAK_CUES.has(word);
}

/** Two roles in a fixed order, so "A vs B" and "B vs A" are the same request. */
export type RolePair = [RoleId, RoleId];

export function orderRoles(a: RoleId, b: RoleId): RolePair {
  return ROLE_IDS.indexOf(a) <= ROLE_IDS.indexOf(b) ? [a, b] : [b, a];
}

/**
 * Finds "X vs Y", "difference between X and Y", "should I be X or Y" and the like. With one role and a
 * strong cue, the other side is the ML engineer, the role this knowledge base is about.
 */
export function detectComparison(words: readonly Word[], terms: readonly Term[]): RolePair | undefined {
  const roles = [...new Set(terms.map((t) => ROLE_OF_TERM.get(t.term)).filter((r): r is RoleId => r !== undefined))];
  const strong = words.some((w) => STRONG_CUES.has(w.word));
  const weak = words.some((w) => WEAK_CUES.has(w.word));
  if (roles.length >= 2 && (strong || weak)) return orderRoles(roles[0]!, roles[1]!);
  if (roles.length === 1 && strong && roles[0] !== 'ml-engineer') return orderRoles(roles[0]!, 'ml-engineer');
  return undefined;
}
