import SearchableMap from 'minisearch/SearchableMap';
import { PHRASES, STOP_WORDS, SYNONYMS } from './lexicon.js';
import type { Word } from './terms.js';

const LEXICON_WORDS = new Set([
  ...STOP_WORDS,
  ...Object.keys(SYNONYMS),
  ...Object.keys(PHRASES).flatMap((phrase) => phrase.split(' ')),
]);

export interface CheckedWord extends Word {
  /** The word as typed, when it was corrected. */
  typed?: string;
}

/**
 * Corrects typos against the knowledge base's own words before searching, instead of fuzzy-expanding every
 * query term: one lookup per unknown word, and a real word is never "corrected" into another.
 * Only longer words are corrected (one edit from 5 letters, two from 9) and the first letter must agree,
 * which keeps short real words ("bake") from turning into domain words ("make").
 */
export class SpellingCorrector {
  private readonly wordCounts: SearchableMap<number>;

  constructor(wordCounts: Iterable<[string, number]>) {
    this.wordCounts = new SearchableMap<number>();
    for (const [word, count] of wordCounts) this.wordCounts.set(word, count);
  }

  /** Words as counted in the index, for saving alongside it. */
  entries(): [string, number][] {
    return [...this.wordCounts];
  }

  isKnown(word: string): boolean {
    return /^\d+$/.test(word) || LEXICON_WORDS.has(word) || this.wordCounts.has(word);
  }

  correct(words: readonly Word[]): CheckedWord[] {
    return words.map((w) => {
      const correction = this.isKnown(w.word) ? undefined : this.closest(w.word);
      return correction ? { word: correction, surface: correction, typed: w.surface } : w;
    });
  }

  private closest(word: string): string | undefined {
    const maxDistance = word.length >= 9 ? 2 : word.length >= 5 ? 1 : 0;
    if (maxDistance === 0) return undefined;
    let best: { word: string; distance: number; count: number } | undefined;
    for (const [candidate, [count, distance]] of this.wordCounts.fuzzyGet(word, maxDistance)) {
      if (candidate[0] !== word[0] || candidate.length < 4) continue;
      if (!best || distance < best.distance || (distance === best.distance && count > best.count)) {
        best = { word: candidate, distance, count };
      }
    }
    return best?.word;
  }
}

/** Counts the words of texts, the vocabulary typos are corrected against. */
export function countWords(texts: Iterable<Word[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const words of texts) {
    for (const { word } of words) {
      if (!/^\d+$/.test(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}
