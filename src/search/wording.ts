/**
 * How closely a heading restates a question, word for word and in order: FAQ-style knowledge answers a
 * question best with the section whose heading asks it. Both sides are phrasings (`TermAnalyzer.phrasing`),
 * so "ML engineers" meets "machine learning engineer" and the small words count too: "how did the ML engineer
 * role come about" restates "how did the ML engineer role even come about", while "Is ML engineer role come
 * about", with the same content words, does not quite.
 */
export function wordingAgreement(question: readonly string[], heading: readonly string[]): number {
  if (question.length === 0 || heading.length === 0) return 0;
  return (2 * commonSubsequence(question, heading)) / (question.length + heading.length);
}

/**
 * A question's wordings (two for a comparison, its roles either way round) matched against many headings and
 * phrasings, as `wordingAgreement` matches one: a text sharing too few of the question's words to beat the best
 * agreement so far is not aligned at all. Most of a candidate's phrasings share a word or two.
 */
export class WordingMatcher {
  private readonly words: Set<string>;

  constructor(private readonly wordings: readonly (readonly string[])[]) {
    this.words = new Set(wordings.flat());
  }

  /** The best agreement of any of the question's wordings with any of these texts; 0 without any. */
  best(texts: readonly (readonly string[])[]): number {
    let best = 0;
    for (const text of texts) {
      let shared = 0;
      for (const word of text) if (this.words.has(word)) shared++;
      for (const wording of this.wordings) {
        const total = wording.length + text.length;
        // The common subsequence holds at most the shared words, and no more than either side's length.
        if (wording.length === 0 || text.length === 0 || (2 * Math.min(shared, wording.length)) / total <= best) continue;
        best = Math.max(best, (2 * commonSubsequence(wording, text)) / total);
      }
    }
    return best;
  }
}

/** One row of the alignment, kept between calls: a question is aligned with hundreds of phrasings. */
let row = new Int32Array(64);

/** Length of the longest common subsequence: the words both share in the same order. */
function commonSubsequence(a: readonly string[], b: readonly string[]): number {
  if (row.length <= b.length) row = new Int32Array(2 * (b.length + 1));
  row.fill(0, 0, b.length + 1);
  for (const word of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = word === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}
