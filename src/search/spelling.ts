import SearchableMap from 'minisearch/SearchableMap';
import { englishRank } from './englishWords.js';
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
 * Only longer words are corrected (one edit from 5 letters, two from 9), the first letter must agree, and an
 * everyday English word is never a typo: "bread" stays bread rather than becoming "broad".
 */
export class SpellingCorrector {
  private readonly wordCounts: Map<string, number>;
  /** The same words as a radix tree for fuzzy look-ups, built for the first typo: most questions have none. */
  private tree: SearchableMap<number> | undefined;

  /**
   * `fewWords`: a vocabulary of a few thousand words (a server's own) is scanned for a typo's nearest word
   * rather than kept twice, as a tree, for every server.
   */
  constructor(
    wordCounts: Iterable<[string, number]>,
    private readonly options: { fewWords?: boolean } = {},
  ) {
    this.wordCounts = new Map(wordCounts);
  }

  /** Words as counted in the index, for saving alongside it. */
  entries(): [string, number][] {
    return [...this.wordCounts];
  }

  isKnown(word: string): boolean {
    return /^\d+$/.test(word) || LEXICON_WORDS.has(word) || this.wordCounts.has(word);
  }

  /** Words corrected against this vocabulary and, when given, a second one (a server's own words). */
  correct(words: readonly Word[], also?: SpellingCorrector): CheckedWord[] {
    return words.map((w) => {
      if (this.isKnown(w.word) || also?.isKnown(w.word) || isEverydayWord(w.word)) return w;
      const stopWord = misspeltStopWord(w.word);
      if (stopWord) return { word: stopWord, surface: stopWord, typed: w.surface };
      const mine = this.closest(w.word);
      const theirs = also?.closest(w.word);
      const correction = theirs && (!mine || theirs.distance < mine.distance || (theirs.distance === mine.distance && theirs.count > mine.count)) ? theirs : mine;
      return correction ? { word: correction.word, surface: correction.word, typed: w.surface } : w;
    });
  }

  private closest(word: string): Correction | undefined {
    const maxDistance = word.length >= 9 ? 2 : word.length >= 5 ? 1 : 0;
    if (maxDistance === 0) return undefined;
    let best: Correction | undefined;
    for (const [candidate, count] of this.near(word)) {
      if (candidate[0] !== word[0] || candidate.length < 4) continue;
      const distance = editDistance(word, candidate);
      if (distance > maxDistance) continue;
      if (!best || distance < best.distance || (distance === best.distance && count > best.count)) {
        best = { word: candidate, distance, count };
      }
    }
    return best;
  }

  /** Words that may be two edits from `word` or fewer, with their counts. */
  private *near(word: string): Iterable<[string, number]> {
    if (this.options.fewWords) {
      for (const entry of this.wordCounts) if (Math.abs(entry[0].length - word.length) <= 2) yield entry;
      return;
    }
    // The radix tree counts a swap of two letters as two edits; fetch that far, then count swaps as one.
    this.tree ??= SearchableMap.from(this.wordCounts);
    for (const [candidate, [count]] of this.tree.fuzzyGet(word, 2)) yield [candidate, count];
  }
}

interface Correction {
  word: string;
  distance: number;
  count: number;
}

/**
 * The stop word an unknown word is one edit from ("shoud", "actualy", "betwen"), the most common of equals:
 * otherwise a misspelt "should" weighs as a word no passage has, the rarest there is. The vocabulary never holds
 * stop words, so `closest` cannot find them. From five letters, as there: shorter ones are often a field's
 * acronyms ("sas", "sre", "hrs"), each one edit from some stop word.
 */
function misspeltStopWord(word: string): string | undefined {
  if (word.length < 5) return undefined;
  let best: { word: string; rank: number } | undefined;
  for (const candidate of STOP_WORDS) {
    if (candidate[0] !== word[0] || Math.abs(candidate.length - word.length) > 1 || editDistance(word, candidate) !== 1) continue;
    const rank = englishRank(candidate) ?? Infinity;
    if (!best || rank < best.rank) best = { word: candidate, rank };
  }
  return best?.word;
}

/** In the 30,000 most common words of spoken English: a real word, however unknown to the knowledge base. */
const isEverydayWord = (word: string) => (englishRank(word) ?? Infinity) <= 30_000;

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = distance;
    }
  }
  return rows[a.length]![b.length]!;
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
