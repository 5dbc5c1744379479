/** Lower-case words, apostrophes dropped: how texts are compared for copying. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/[\u2019']/g, '').match(/[a-z0-9]+/g) ?? [];
}

export interface CopiedRun {
  words: number;
  text: string;
  /** Which of the compared texts holds it. */
  from: string;
}

/**
 * Runs of `minWords` or more words that `text` shares, word for word, with any of `sources`: sentences
 * taken from a source instead of written anew.
 */
export function copiedRuns(text: string, sources: ReadonlyMap<string, string>, minWords = 12): CopiedRun[] {
  const shingles = new Map<string, string>();
  for (const [name, source] of sources) {
    const words = wordsOf(source);
    for (let i = 0; i + minWords <= words.length; i++) shingles.set(words.slice(i, i + minWords).join(' '), name);
  }
  const words = wordsOf(text);
  const runs: CopiedRun[] = [];
  for (let i = 0; i + minWords <= words.length; ) {
    const from = shingles.get(words.slice(i, i + minWords).join(' '));
    if (!from) {
      i++;
      continue;
    }
    let end = i + minWords;
    while (end < words.length && shingles.has(words.slice(end - minWords + 1, end + 1).join(' '))) end++;
    runs.push({ words: end - i, text: words.slice(i, end).join(' '), from });
    i = end;
  }
  return runs;
}
