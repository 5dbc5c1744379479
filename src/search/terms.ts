import { stemmer } from 'stemmer';
import { cutToLength } from '../text/cut.js';
import { englishRank } from './englishWords.js';
import { BRITISH_SPELLING, PHRASES, ROLE_TERMS, STOP_WORDS, SYNONYMS } from './lexicon.js';

/** A question is cut to this many characters before anything else: bounded work for any input. */
export const MAX_QUESTION_CHARS = 500;

/** One word as the member wrote it (`surface`) and lower-cased (`word`). */
export interface Word {
  word: string;
  surface: string;
}

/** An index term with the words of the question it came from. */
export interface Term {
  term: string;
  surface: string;
}

const PROTECTED_TERMS = new Set(Object.values(ROLE_TERMS));
/** "a data scientist" and "an ML engineer" ask the same in either order: articles say nothing about wording. */
const ARTICLES = new Set(['a', 'an', 'the']);
const SYNONYM_OF = new Map(Object.entries(SYNONYMS));

/** Phrases grouped by their first word, longest first, so joining is one map lookup per word. */
const PHRASES_BY_FIRST_WORD = (() => {
  const byFirst = new Map<string, { words: string[]; term: string }[]>();
  for (const [phrase, term] of Object.entries(PHRASES)) {
    const words = phrase.split(' ');
    const list = byFirst.get(words[0]!) ?? [];
    list.push({ words, term });
    byFirst.set(words[0]!, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  return byFirst;
})();

/**
 * Makes member input safe to search and to echo: no mentions, links, markdown, control characters or
 * runaway length.
 */
export function cleanQuestion(raw: string, maxChars = MAX_QUESTION_CHARS): string {
  const cleaned = cutToLength(raw, maxChars * 4)
    .normalize('NFKC')
    .replace(/<a?:\w+:\d+>/g, ' ')
    .replace(/<(@[!&]?|#)\d+>/g, ' ')
    // @everyone, @here and typed @names address people: they are not part of the question.
    .replace(/(^|\s)@[\w.-]+/g, ' ')
    .replace(/https?:\/\/\S+/gi, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/[*_~`|>#[\]\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cutToLength(cleaned, maxChars).trim();
}

/** Splits text into words, keeping the tokens that punctuation would break: C++, C#, .NET, 98,000, 98k. */
export function toWords(text: string): Word[] {
  const prepared = text
    .replace(/\br\s*&\s*d\b/gi, ' research ')
    .replace(/\bc\+\+/gi, ' cplusplus ')
    .replace(/\bc#/gi, ' csharp ')
    .replace(/\.net\b/gi, ' dotnet ')
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/\b(\d+(?:\.\d+)?)k\b/gi, (_, amount: string) => String(Math.round(Number(amount) * 1000)))
    .replace(/['\u2019\u2018`]/g, '');
  const words: Word[] = [];
  for (const match of prepared.normalize('NFKD').replace(/\p{M}/gu, '').matchAll(/[\p{L}\p{N}]+/gu)) {
    words.push({ word: match[0].toLowerCase(), surface: match[0] });
  }
  return words;
}

/**
 * Turns words into index terms: phrases joined, stop words dropped, synonyms and British spellings unified,
 * stemmed. Index and query share it, so both sides always agree. Stems are memoised per analyzer.
 */
export class TermAnalyzer {
  private readonly termOfWord = new Map<string, string | null>();

  terms(words: readonly Word[]): Term[] {
    const terms: Term[] = [];
    this.eachUnit(words, (at, phrase) => {
      if (phrase) {
        if (phrase.term) terms.push({ term: this.termOf(phrase.term) ?? phrase.term, surface: phrase.surface });
        return;
      }
      const current = words[at]!;
      const term = current.word === 'us' ? this.countryOrPronoun(words, at) : this.termOf(current.word);
      if (term) terms.push({ term, surface: current.surface });
    });
    return terms;
  }

  /** Every word as a term, stop words as themselves (articles left out): how a text is phrased, for comparing wordings. */
  phrasing(words: readonly Word[]): string[] {
    const units: string[] = [];
    this.eachUnit(words, (at, phrase) => {
      const unit = phrase ? (phrase.term ? (this.termOf(phrase.term) ?? phrase.term) : phrase.surface.toLowerCase()) : (this.termOf(words[at]!.word) ?? words[at]!.word);
      if (!ARTICLES.has(unit)) units.push(unit);
    });
    return units;
  }

  /** The words in order, each known phrase as one unit (at its first word); a visit, not a generator: every question and text goes through here. */
  private eachUnit(words: readonly Word[], visit: (at: number, phrase?: { term: string; surface: string }) => void): void {
    for (let i = 0; i < words.length; i++) {
      const phrase = this.phraseAt(words, i);
      visit(i, phrase);
      if (phrase) i += phrase.length - 1;
    }
  }

  /** The terms of a text, for the index. */
  textTerms(text: string): string[] {
    return this.terms(toWords(text)).map((t) => t.term);
  }

  /** The term a single word becomes, or null for a stop word. */
  termOf(word: string): string | null {
    let term = this.termOfWord.get(word);
    if (term === undefined) {
      term = computeTerm(word);
      if (this.termOfWord.size > 200_000) this.termOfWord.clear();
      this.termOfWord.set(word, term);
    }
    return term;
  }

  private phraseAt(words: readonly Word[], start: number): { term: string; surface: string; length: number } | undefined {
    const candidates = PHRASES_BY_FIRST_WORD.get(words[start]!.word);
    if (!candidates) return undefined;
    for (const { words: phraseWords, term } of candidates) {
      if (start + phraseWords.length > words.length) continue;
      if (phraseWords.every((w, k) => words[start + k]!.word === w)) {
        const surface = words.slice(start, start + phraseWords.length).map((w) => w.surface).join(' ');
        return { term, surface, length: phraseWords.length };
      }
    }
    return undefined;
  }

  /** "US" or "the/in us" is the country; otherwise "us" is a pronoun. */
  private countryOrPronoun(words: readonly Word[], i: number): string | null {
    const previous = words[i - 1]?.word;
    return words[i]!.surface === 'US' || previous === 'the' || previous === 'in' ? 'us' : null;
  }
}

function computeTerm(word: string): string | null {
  if (STOP_WORDS.has(word)) return null;
  const synonym = SYNONYM_OF.get(word);
  const canonical = synonym ?? word;
  if (STOP_WORDS.has(canonical)) return null;
  if (PROTECTED_TERMS.has(canonical) || /^\d+$/.test(canonical)) return canonical;
  if (canonical.length < 2) return null;
  const stem = stemOf(canonical);
  return synonym === undefined ? (synonymOfStem().get(stem) ?? stem) : stem;
}

function stemOf(word: string): string {
  return fixStem(stemmer(word.replace(BRITISH_SPELLING, (_, stem: string, suffix: string) => `${stem}z${suffix}`)));
}

let stemSynonyms: Map<string, string> | undefined;

/**
 * Synonyms by stem, so that another form of a listed word means the same ("mathematic" as "mathematics").
 * A stem that is a word of its own ("master", from "masters") keeps its own meaning, as does a stem two
 * synonyms share.
 */
function synonymOfStem(): Map<string, string> {
  if (stemSynonyms) return stemSynonyms;
  const byStem = new Map<string, string | null>();
  for (const [word, target] of SYNONYM_OF) {
    if (word.length < 5 || /[^a-z]/.test(word)) continue;
    const stem = stemOf(word);
    if (stem === word || englishRank(stem) !== undefined || SYNONYM_OF.has(stem)) continue;
    const term = PROTECTED_TERMS.has(target) ? target : stemOf(target);
    const earlier = byStem.get(stem);
    byStem.set(stem, earlier === undefined || earlier === term ? term : null);
  }
  stemSynonyms = new Map([...byStem].filter((entry): entry is [string, string] => entry[1] !== null && entry[0] !== entry[1]));
  return stemSynonyms;
}

/** The Porter stemmer turns "deploying" into "deploi" but leaves "deploy": bring the y back after a vowel. */
function fixStem(stem: string): string {
  return stem.length > 3 ? stem.replace(/([aeou])i$/, '$1y') : stem;
}
