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

/** Length of the longest common subsequence: the words both share in the same order. */
function commonSubsequence(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
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
