// Seeded synthetic knowledge bases made from the real one, for the benchmark and the scale tests.
//
// The real passages are recombined word by word: sentences and headings are written by a word-bigram model
// trained on the real texts and headings (each next word drawn as often as it follows the current one there),
// so the synthetic text has the real text's words, word frequencies and phrasing ("an ML engineer", "which
// tools should I") without repeating its passages or its facts. New words (course, product and people's names,
// jargon) are coined as the corpus grows, at the rate Heaps' law gives for real text (vocabulary ∝ tokens^β),
// and recur: each document has names of its own, and earlier coinages come back with a Zipf-like skew. Each
// synthetic document borrows a real document's topic, roles and sources, as community notes on the
// same subjects would, and a title of its own. Everything follows from the seed.
import { stemmer } from 'stemmer';
import type { KnowledgeFiles } from '../src/knowledge/loader.js';
import { slugify } from '../src/knowledge/markdown.js';
import type { KnowledgeBase } from '../src/knowledge/schema.js';
import { englishRank } from '../src/search/englishWords.js';

/** Heaps' law exponent: English text grows its vocabulary with about the 0.5–0.7th power of its length. */
export const HEAPS_BETA = 0.6;
const MAX_SECTION_CHARS = 650;
const END = '\u0000';

/** sfc32: a small, fast, seedable generator; the same seed always gives the same corpus. */
export function random(seed: number): () => number {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 + seed;
  let c = 0xb7e15162 ^ (seed * 31);
  let d = 1;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

export interface SyntheticStats {
  documents: number;
  passages: number;
  /** Words of the synthetic text, and how many distinct words were coined for it. */
  tokens: number;
  coined: number;
}

/** Which words follow which in a body of text (and which start it), with their frequencies. */
class Bigrams {
  private readonly next = new Map<string, string[]>();

  constructor(sequences: readonly string[][]) {
    for (const tokens of sequences) {
      let previous = END;
      for (const token of [...tokens, END]) {
        const list = this.next.get(previous) ?? [];
        list.push(token);
        this.next.set(previous, list);
        previous = token;
      }
    }
  }

  /** A sequence of `min`–`max` tokens; ends where the text could end, or is cut at `max`. */
  write(rand: () => number, min: number, max: number): string[] {
    for (let attempt = 0; ; attempt++) {
      const out: string[] = [];
      let current = END;
      while (out.length < max) {
        const options = this.next.get(current)!;
        current = options[Math.floor(rand() * options.length)]!;
        if (current === END) break;
        out.push(current);
      }
      if (out.length >= min || attempt > 20) return out;
    }
  }
}

const tokenize = (text: string) => text.match(/[\p{L}\p{N}$£€%&+#'’./-]*[\p{L}\p{N}$£€%+#]|[.,;:?!()]/gu) ?? [];
const detokenize = (tokens: readonly string[]) =>
  tokens
    .join(' ')
    .replace(/ ([.,;:?!)])/g, '$1')
    .replace(/\( /g, '(');

/**
 * The real knowledge base's files plus synthetic documents holding exactly `passages` more passages, under
 * `synthetic/` (each section stays under the passage size, so one section is one passage).
 */
export function syntheticKnowledge(
  real: KnowledgeBase,
  files: KnowledgeFiles,
  passages: number,
  seed = 1,
): { files: KnowledgeFiles; stats: SyntheticStats } {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const capital = (word: string) => word[0]!.toUpperCase() + word.slice(1);

  const sentences = real.passages.flatMap((p) => sentencesOf(p.text)).map(tokenize);
  const headings = [...new Set(real.passages.flatMap((p) => p.heading.split(' › ')).filter(Boolean))].map(tokenize);
  const textModel = new Bigrams(sentences);
  const headingModel = new Bigrams(headings);
  const realHeadings = new Set(headings.map((h) => detokenize(h).toLowerCase()));

  const realTokens = sentences.reduce((sum, s) => sum + s.length, 0);
  const knownWords = new Set(real.passages.flatMap((p) => (`${p.documentTitle} ${p.heading} ${p.text}`.toLowerCase().match(/[a-z0-9]+/g) ?? [])));
  const realVocabulary = knownWords.size;

  const coined: string[] = [];
  const coinedSet = new Set<string>();
  const ONSETS = ['b', 'br', 'c', 'ch', 'd', 'dr', 'f', 'g', 'gr', 'h', 'j', 'k', 'kl', 'l', 'm', 'n', 'p', 'pr', 'qu', 'r', 's', 'st', 't', 'tr', 'v', 'w', 'z'];
  const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'ou', 'y'];
  const CODAS = ['', '', 'n', 'r', 'l', 'x', 'm', 'nd', 'rk', 's', 'th', 'v'];
  /** A new word: not in the real text, and not a word of everyday English or an inflection of one. */
  const coin = (): string => {
    for (;;) {
      const syllables = 2 + Math.floor(rand() * 2);
      let word = '';
      for (let i = 0; i < syllables; i++) word += pick(ONSETS) + pick(VOWELS) + (i === syllables - 1 ? pick(CODAS) : '');
      if (word.length >= 5 && !coinedSet.has(word) && !knownWords.has(word) && !isEnglish(word)) {
        coinedSet.add(word);
        coined.push(word);
        return word;
      }
    }
  };
  /** A coinage seen before, the early (frequent) ones far more often: rank ∝ u². */
  const recurring = () => (coined.length ? coined[Math.floor(coined.length * rand() * rand())]! : coin());

  let tokens = 0;
  /** How many words Heaps' law says the corpus should have coined by now. */
  const due = () => Math.floor(realVocabulary * ((realTokens + tokens) / realTokens) ** HEAPS_BETA) - realVocabulary;
  /** New words take the place of content words: first those Heaps' law has due, then a document name now and then. */
  const withNewWords = (out: string[], names: readonly string[], nameChance: number): string[] => {
    const replaceable = out.map((w, i) => (/^[a-z]{4,}$/.test(w) ? i : -1)).filter((i) => i >= 0);
    const swap = (word: string) => {
      if (replaceable.length) out[pick(replaceable)] = word;
    };
    tokens += out.length;
    while (coined.length < due()) swap(coin());
    if (rand() < nameChance) swap(rand() < 0.6 ? pick(names) : recurring());
    return out;
  };

  const starts = headings.map((h) => h[0]!).filter((w) => /^(what|which|how|why|who|when|where|is|are|can|do|does|should)$/i.test(w));
  /**
   * A heading: two in five in the manner of the real headings (their bigrams), the rest a phrase of the text,
   * half of them asked as a question: the wider phrasing of many authors.
   */
  const writeHeading = (): string[] => {
    if (rand() < 0.4) return headingModel.write(rand, 2, 14);
    const phrase = textModel.write(rand, 3, 3 + Math.floor(rand() * 7)).filter((t) => !/^[.,;:?!()]$/.test(t));
    return rand() < 0.5 ? [pick(starts), ...phrase.map((t, i) => (i === 0 && /^[A-Z][a-z]/.test(t) ? t.toLowerCase() : t)), '?'] : phrase;
  };

  const documents: Record<string, string> = { ...(files.documents as Record<string, string>) };
  let made = 0;
  let docCount = 0;
  while (made < passages) {
    const theme = pick(real.documents).frontMatter;
    const names = [coin(), coin(), recurring()];
    const sections = Math.min(passages - made, 3 + Math.floor(rand() * 10));
    const title = `${capital(names[0]!)} ${rand() < 0.5 ? 'notes' : 'guide'}: ${capital(detokenize(headingModel.write(rand, 2, 6)))}`.slice(0, 120);
    const roles = rand() < 0.5 ? (theme.roles ?? []) : [];
    const slugs = new Set<string>();
    const body: string[] = [];
    for (let s = 0; s < sections; s++) {
      // Headings as people write them: no word twice ("an ML engineer or the ML engineer"), not a real one.
      let heading = '';
      while (!heading || realHeadings.has(heading.toLowerCase()) || slugs.has(slugify(heading)) || repeatsAWord(heading)) {
        heading = capital(detokenize(withNewWords(writeHeading(), names, 0.3)));
      }
      slugs.add(slugify(heading));
      const count = 2 + Math.floor(rand() * 4);
      let text = '';
      for (let k = 0; k < count; k++) {
        const sentence = capital(detokenize(withNewWords(textModel.write(rand, 5, 40), names, 0.35)));
        if (text && text.length + sentence.length + 1 > MAX_SECTION_CHARS) break;
        text = text ? `${text} ${sentence}` : sentence.slice(0, MAX_SECTION_CHARS);
      }
      body.push(`## ${heading}\n\n${text}\n`);
    }
    const frontMatter = [
      '---',
      `title: ${JSON.stringify(title)}`,
      `topic: ${rand() < 0.5 ? theme.topic : 'community-notes'}`,
      `sources: [${theme.sources.join(', ')}]`,
      'reviewed: 2026-11-23',
      ...(roles.length ? [`roles: [${roles.join(', ')}]`] : []),
      '---',
    ].join('\n');
    documents[`synthetic/s${String(docCount).padStart(6, '0')}-${slugify(names[0]!)}.md`] = `${frontMatter}\n\n${body.join('\n')}`;
    made += sections;
    docCount += 1;
  }
  return { files: { ...files, documents }, stats: { documents: docCount, passages: made, tokens, coined: coined.length } };
}

function repeatsAWord(text: string): boolean {
  const stems = (text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []).map((word) => stemmer(word));
  return new Set(stems).size < stems.length;
}

/** A word of everyday English, or an inflection of one ("breades" → "bread"): not a new word. */
function isEnglish(word: string): boolean {
  return englishRank(word) !== undefined || englishRank(stemmer(word)) !== undefined;
}

/** Sentences and list items of a passage, as plain one-line text. */
function sentencesOf(text: string): string[] {
  return text
    .split(/\n+/)
    .map((line) => line.replace(/^\s*([-*+]|\d+\.)\s+/, '').trim())
    .flatMap((line) => line.match(/[^.!?]+(?:[.!?]+["')\]]*|$)/g) ?? [])
    .map((s) => s.trim())
    .filter((s) => s.split(' ').length >= 4);
}
