import bankFile from './question-bank.json' with { type: 'json' };

// Questions members asked before, with the passages that answered them (or none, when the knowledge base does
// not cover them): the labelled questions and questions put to a channel, as terms. A new question's nearest ones say which passage
// answered questions worded like it, and whether such questions were answered at all. Members word the same
// need in ways no heading or phrasing foresaw; the questions they asked before carry those wordings.

/** A question asked before: its terms (as the engine analyses questions) and the passages that answer it. */
export interface AskedQuestion {
  terms: readonly string[];
  /** Empty when the knowledge base does not cover it. */
  passages: readonly string[];
}

/** One of a question's nearest questions asked before, and how alike the two are (0–1). */
export interface Neighbour {
  similarity: number;
  passages: readonly string[];
  /** Asked in this server: one of its entries' questions, or one it taught. */
  here?: boolean;
}

/**
 * The questions asked before as committed: each term and passage id written once, each question as their
 * positions (a passage id is long, and repeated across hundreds of questions).
 */
export interface QuestionBankFile {
  terms: string[];
  passages: string[];
  questions: [number[], number[]][];
}

export function encodeQuestionBank(questions: readonly AskedQuestion[]): QuestionBankFile {
  const terms = [...new Set(questions.flatMap((q) => q.terms))].sort();
  const passages = [...new Set(questions.flatMap((q) => q.passages))].sort();
  const termAt = new Map(terms.map((t, i) => [t, i]));
  const passageAt = new Map(passages.map((p, i) => [p, i]));
  return { terms, passages, questions: questions.map((q) => [q.terms.map((t) => termAt.get(t)!), q.passages.map((p) => passageAt.get(p)!)]) };
}

export function decodeQuestionBank(file: QuestionBankFile): AskedQuestion[] {
  return file.questions.map(([terms, passages]) => ({ terms: terms.map((i) => file.terms[i]!), passages: passages.map((i) => file.passages[i]!) }));
}

/** The committed bank: written by `npm run train` from the labelled questions. */
export const ASKED_QUESTIONS = decodeQuestionBank(bankFile as QuestionBankFile);

/**
 * The questions asked before that speak of this knowledge base: none when they were labelled on another (most
 * of the passages they name are missing), else all but those naming a passage it no longer has.
 */
export function askedOf(questions: readonly AskedQuestion[], has: (passageId: string) => boolean): AskedQuestion[] {
  const answered = (q: AskedQuestion) => q.passages.every(has);
  const covered = questions.filter((q) => q.passages.length > 0);
  return covered.filter(answered).length >= 0.9 * covered.length ? questions.filter(answered) : [];
}

/** How many nearest questions are read. */
export const NEIGHBOURS = 20;

export class QuestionBank {
  private readonly postings = new Map<string, number[]>();
  private readonly idfs = new Map<string, number>();
  private readonly norms: Float64Array;
  /** Each question's shared weight while one question is matched (zeroed again before `nearest` returns). */
  private readonly shared: Float64Array;
  /** The weight of a term no question asked before holds: the rarest there is. */
  private readonly unseenIdf: number;

  constructor(readonly questions: readonly AskedQuestion[]) {
    questions.forEach((q, i) => {
      for (const term of new Set(q.terms)) {
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push(i);
      }
    });
    const n = questions.length;
    const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (const [term, list] of this.postings) this.idfs.set(term, idf(list.length));
    this.unseenIdf = idf(0);
    this.norms = Float64Array.from(questions, (q) => [...new Set(q.terms)].reduce((sum, t) => sum + this.idfs.get(t)!, 0));
    this.shared = new Float64Array(n);
  }

  /**
   * The `limit` questions most like these terms, most alike first: Dice over the two term sets, each term
   * weighing its rarity among the questions asked before. `skip` leaves out a question (itself, in training).
   */
  nearest(terms: readonly string[], limit = NEIGHBOURS, skip?: number): Neighbour[] {
    const unique = [...new Set(terms)];
    const norm = unique.reduce((sum, t) => sum + (this.idfs.get(t) ?? this.unseenIdf), 0);
    const shared = this.shared;
    const touched: number[] = [];
    for (const term of unique) {
      const idf = this.idfs.get(term)!;
      for (const i of this.postings.get(term) ?? []) {
        if (i === skip) continue;
        if (shared[i] === 0) touched.push(i);
        shared[i]! += idf;
      }
    }
    // The best few kept in order as they come: a question shares a word with hundreds of others.
    const best: { i: number; similarity: number }[] = [];
    for (const i of touched) {
      const similarity = (2 * shared[i]!) / (norm + this.norms[i]!);
      shared[i] = 0;
      if (best.length === limit) {
        if (!isBetter(similarity, i, best[limit - 1]!)) continue;
        best.pop();
      }
      let at = best.length;
      while (at > 0 && isBetter(similarity, i, best[at - 1]!)) at--;
      best.splice(at, 0, { i, similarity });
    }
    return best.map(({ i, similarity }) => ({ similarity, passages: this.questions[i]!.passages }));
  }
}

/** More alike first; between equals, the question asked first. */
function isBetter(similarity: number, i: number, than: { i: number; similarity: number }): boolean {
  return similarity > than.similarity || (similarity === than.similarity && i < than.i);
}
