import committedBank from './question-bank.json' with { type: 'json' };

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
 * The questions asked before as committed, already in the form they are searched in, so a start reads them
 * without re-indexing: each term (sorted) with the positions of the questions holding it, and each question's
 * passages as positions in `passages` (a passage id is long, and repeated across hundreds of questions). The
 * lists lie end to end in one array each, with where each one ends: a start then parses a few long arrays of
 * numbers, not tens of thousands of small ones.
 */
export interface QuestionBankFile {
  terms: string[];
  /** Term t's questions are `postings` from `postingEnds[t - 1]` (0 for the first) to `postingEnds[t]`. */
  postingEnds: number[];
  postings: number[];
  passages: string[];
  /** Question i's passages are `answers` from `answerEnds[i - 1]` (0 for the first) to `answerEnds[i]`. */
  answerEnds: number[];
  answers: number[];
}

const EMPTY_BANK: QuestionBankFile = { terms: [], postingEnds: [], postings: [], passages: [], answerEnds: [], answers: [] };

export function encodeQuestionBank(questions: readonly AskedQuestion[]): QuestionBankFile {
  const holding = new Map<string, number[]>();
  questions.forEach((q, i) => {
    for (const term of new Set(withPairs(q.terms))) {
      let list = holding.get(term);
      if (!list) holding.set(term, (list = []));
      list.push(i);
    }
  });
  for (const [term, list] of holding) if (isPair(term) && list.length < 2) holding.delete(term);
  const terms = [...holding.keys()].sort();
  const passages = [...new Set(questions.flatMap((q) => q.passages))].sort();
  const passageAt = new Map(passages.map((p, i) => [p, i]));
  return bankFile(
    terms,
    terms.map((t) => holding.get(t)!),
    passages,
    questions.map((q) => q.passages.map((p) => passageAt.get(p)!)),
  );
}

function bankFile(terms: string[], postingLists: readonly (readonly number[])[], passages: string[], answerLists: readonly (readonly number[])[]): QuestionBankFile {
  const postings = endToEnd(postingLists);
  const answers = endToEnd(answerLists);
  return { terms, postingEnds: postings.ends, postings: postings.flat, passages, answerEnds: answers.ends, answers: answers.flat };
}

/** Lists laid end to end, with where each ends. */
function endToEnd(lists: readonly (readonly number[])[]): { flat: number[]; ends: number[] } {
  const flat: number[] = [];
  const ends: number[] = [];
  for (const list of lists) {
    for (const item of list) flat.push(item);
    ends.push(flat.length);
  }
  return { flat, ends };
}

/** The lists of a bank file as they were: term t's questions, or question i's passages. */
export function bankLists(file: QuestionBankFile, name: 'posting' | 'answer'): number[][] {
  const [flat, ends] = name === 'posting' ? [file.postings, file.postingEnds] : [file.answers, file.answerEnds];
  return ends.map((end, k) => flat.slice(listStart(ends, k), end));
}

/** Where list k starts, the lists lying end to end with `ends` where each ends. */
function listStart(ends: readonly number[], k: number): number {
  return k ? ends[k - 1]! : 0;
}

/** The committed bank: written by `npm run train` from the labelled questions. */
export const COMMITTED_BANK = committedBank as unknown as QuestionBankFile;

/** How many nearest questions are read. */
export const NEIGHBOURS = 20;

/**
 * Neighbouring terms are read as a pair too ("negotiat+salari"), so that questions sharing words but not how
 * they go together are less alike. A pair weighs this share of its rarity, chosen by cross-validation from
 * 0.25, 0.35 and 0.5; a pair that only one question holds is left out (keeping them all weighed worse and made
 * the committed file three times the size).
 */
const PAIR_WEIGHT = 0.35;

/**
 * A word's evidence is smoothed as if this many more questions on each side held it, so that a word two
 * questions hold says little (chosen by cross-validation from 1, 3, 10 and 30).
 */
const EVIDENCE_SMOOTHING = 3;

/**
 * A word's evidence for a passage is smoothed as if this many more questions on each side held it as often
 * as questions at large do, so a passage few questions were answered by says little (chosen by cross-validation
 * from 1, 3 and 10).
 */
const PASSAGE_EVIDENCE_SMOOTHING = 3;

export class QuestionBank {
  private readonly termAt = new Map<string, number>();
  private readonly idfs: Float64Array;
  private readonly norms: Float64Array;
  /** Each question's shared weight while one question is matched (zeroed again before `nearest` returns). */
  private readonly shared: Float64Array;
  /** The questions sharing a word with the one matched, kept between calls: often thousands, and every answer asks. */
  private readonly touched: Int32Array;
  /** Each question's passage ids, spelt out when it is first found among a question's nearest. */
  private readonly answered: (readonly string[])[] = [];
  /** The weight of a term no question asked before holds: the rarest there is. */
  private readonly unseenIdf: number;
  /** 1 for each question that was covered; marked on first use. */
  private coveredQuestions: Uint8Array | undefined;
  private coveredCount = 0;
  /** Per term, how many of the questions holding it were covered; -1 until counted. */
  private coveredHoldingTerm: Int32Array | undefined;
  private passageAt: Map<string, number> | undefined;
  /** Per passage, how many questions it answered; counted on first use. */
  private answeredBy: Int32Array | undefined;
  private readonly answeredHoldingTerm = new Map<number, Map<number, number>>();

  /** A bank of these questions, all of them. */
  static of(questions: readonly AskedQuestion[]): QuestionBank {
    return new QuestionBank(encodeQuestionBank(questions));
  }

  /**
   * The questions asked before that speak of this knowledge base: none when they were labelled on another (most
   * of the passages they name are missing), else all but those naming a passage it no longer has.
   */
  static ofKnowledge(file: QuestionBankFile, has: (passageId: string) => boolean): QuestionBank {
    const present = file.passages.map(has);
    // Plain loops: this runs once, at start, before the JIT has warmed to anything.
    const { answers, answerEnds } = file;
    const answered: boolean[] = [];
    let covered = 0;
    let coveredAnswered = 0;
    for (let i = 0, start = 0; i < answerEnds.length; start = answerEnds[i++]!) {
      let all = true;
      for (let k = start; k < answerEnds[i]!; k++) if (!present[answers[k]!]) all = false;
      answered.push(all);
      if (answerEnds[i]! > start) {
        covered++;
        if (all) coveredAnswered++;
      }
    }
    if (coveredAnswered < 0.9 * covered) return new QuestionBank(EMPTY_BANK);
    if (coveredAnswered === covered) return new QuestionBank(file);
    const position = new Int32Array(answered.length);
    let kept = 0;
    answered.forEach((keep, i) => (position[i] = keep ? kept++ : -1));
    const postings = bankLists(file, 'posting').map((list) => list.filter((i) => answered[i]).map((i) => position[i]!));
    const terms = file.terms.filter((_, t) => postings[t]!.length > 0);
    return new QuestionBank(bankFile(terms, postings.filter((list) => list.length > 0), file.passages, bankLists(file, 'answer').filter((_, i) => answered[i])));
  }

  private constructor(private readonly file: QuestionBankFile) {
    const n = file.answerEnds.length;
    const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const { terms, postings, postingEnds } = file;
    const idfs = new Float64Array(terms.length);
    const norms = new Float64Array(n);
    for (let t = 0, start = 0; t < terms.length; start = postingEnds[t++]!) {
      const end = postingEnds[t]!;
      const weight = (idfs[t] = idf(end - start) * (isPair(terms[t]!) ? PAIR_WEIGHT : 1));
      this.termAt.set(terms[t]!, t);
      for (let p = start; p < end; p++) norms[postings[p]!]! += weight;
    }
    this.idfs = idfs;
    this.norms = norms;
    this.unseenIdf = idf(0);
    this.shared = new Float64Array(n);
    this.touched = new Int32Array(n);
  }

  /** How many questions it holds. */
  get size(): number {
    return this.file.answerEnds.length;
  }

  /**
   * The `limit` questions most like these terms, most alike first: Dice over the two term sets (pairs among
   * them), each term weighing its rarity among the questions asked before. `skip` leaves out a question (itself,
   * in training).
   */
  nearest(terms: readonly string[], limit = NEIGHBOURS, skip?: number): Neighbour[] {
    return this.nearestQuestions(terms, limit, skip).map(({ question, similarity }) => ({ similarity, passages: (this.answered[question] ??= this.passagesOf(question)) }));
  }

  /**
   * How far questions asked before that share these words were covered: the mean, over the words (not pairs)
   * they hold, of the log-odds that a question holding the word was covered against one that was not, each
   * side smoothed; 0 when they hold none. A word at a time, it reaches questions that no single question asked
   * before resembles as a whole ("kubernetes", "senior", "australia" lean one way). `skip` leaves out a question
   * (itself, in training).
   */
  wordsCovered(terms: readonly string[], skip?: number): number {
    const coveredQuestions = (this.coveredQuestions ??= this.markCovered());
    const skipCovered = skip === undefined ? 0 : coveredQuestions[skip]!;
    const covered = this.coveredCount - skipCovered;
    const uncovered = this.size - (skip === undefined ? 0 : 1) - covered;
    return meanOf(this.heldWords(terms, skip), ({ t, holding, skipped }) => {
      const holdingCovered = this.coveredHolding(t, coveredQuestions) - (skipped ? skipCovered : 0);
      return (
        Math.log((holdingCovered + EVIDENCE_SMOOTHING) / (covered + EVIDENCE_SMOOTHING)) -
        Math.log((holding - holdingCovered + EVIDENCE_SMOOTHING) / (uncovered + EVIDENCE_SMOOTHING))
      );
    });
  }

  /**
   * The distinct words (not pairs) of `terms` that questions asked before hold, each with how many hold it and
   * whether the question skipped is one of them. A word only the question skipped holds is left out: no
   * question asked before holds it.
   */
  private heldWords(terms: readonly string[], skip: number | undefined): HeldWord[] {
    const { postings, postingEnds } = this.file;
    const words: HeldWord[] = [];
    for (const term of new Set(terms)) {
      const t = this.termAt.get(term);
      if (t === undefined || isPair(term)) continue;
      const start = listStart(postingEnds, t);
      const end = postingEnds[t]!;
      const skipped = skip !== undefined && holds(postings, start, end, skip);
      const holding = end - start - (skipped ? 1 : 0);
      if (holding > 0) words.push({ t, holding, skipped });
    }
    return words;
  }

  private markCovered(): Uint8Array {
    const { answerEnds } = this.file;
    const covered = new Uint8Array(this.size);
    for (let i = 0, start = 0; i < this.size; start = answerEnds[i++]!) {
      if (answerEnds[i]! > start) {
        covered[i] = 1;
        this.coveredCount++;
      }
    }
    return covered;
  }

  /** How many of the questions holding the term were covered: counted once per term, on first use (a start reads a few). */
  private coveredHolding(t: number, coveredQuestions: Uint8Array): number {
    const counted = (this.coveredHoldingTerm ??= new Int32Array(this.file.terms.length).fill(-1));
    if (counted[t]! >= 0) return counted[t]!;
    const { postings, postingEnds } = this.file;
    let count = 0;
    for (let p = listStart(postingEnds, t); p < postingEnds[t]!; p++) count += coveredQuestions[postings[p]!]!;
    return (counted[t] = count);
  }

  /**
   * For each passage, how far questions asked before that share these words were answered by it: the mean,
   * over the words (not pairs) they hold, of the log-odds that a question holding the word was answered by the
   * passage against one that was not, each side smoothed towards how common the word is; 0 for a passage no
   * question asked before was answered by (a server's own entry, say). `skip` leaves out a question (itself,
   * in training).
   */
  wordsAnsweredBy(terms: readonly string[], passageIds: readonly string[], skip?: number): number[] {
    const passageAt = (this.passageAt ??= new Map(this.file.passages.map((id, i) => [id, i])));
    const answeredBy = (this.answeredBy ??= this.countAnsweredBy());
    const words = this.heldWords(terms, skip);
    const questions = this.size - (skip === undefined ? 0 : 1);
    return passageIds.map((id) => {
      const passage = passageAt.get(id);
      if (passage === undefined) return 0;
      const skipAnswered = skip !== undefined && this.answersWith(skip, passage) ? 1 : 0;
      const answered = answeredBy[passage]! - skipAnswered;
      if (answered === 0) return 0;
      return meanOf(words, ({ t, holding, skipped }) => {
        const holdingAnswered = (this.answeredHolding(t).get(passage) ?? 0) - (skipped ? skipAnswered : 0);
        const prior = (PASSAGE_EVIDENCE_SMOOTHING * holding) / questions;
        return (
          Math.log((holdingAnswered + prior) / (answered + PASSAGE_EVIDENCE_SMOOTHING)) -
          Math.log((holding - holdingAnswered + prior) / (questions - answered + PASSAGE_EVIDENCE_SMOOTHING))
        );
      });
    });
  }

  private answersWith(question: number, passage: number): boolean {
    const { answers, answerEnds } = this.file;
    for (let k = listStart(answerEnds, question); k < answerEnds[question]!; k++) if (answers[k] === passage) return true;
    return false;
  }

  private countAnsweredBy(): Int32Array {
    const counts = new Int32Array(this.file.passages.length);
    for (const passage of this.file.answers) counts[passage]!++;
    return counts;
  }

  /** Per passage, how many of the questions holding the term it answered: counted once per term, on first use. */
  private answeredHolding(t: number): Map<number, number> {
    let counts = this.answeredHoldingTerm.get(t);
    if (counts) return counts;
    counts = new Map();
    const { postings, postingEnds, answers, answerEnds } = this.file;
    for (let p = listStart(postingEnds, t); p < postingEnds[t]!; p++) {
      const question = postings[p]!;
      for (let k = listStart(answerEnds, question); k < answerEnds[question]!; k++) counts.set(answers[k]!, (counts.get(answers[k]!) ?? 0) + 1);
    }
    this.answeredHoldingTerm.set(t, counts);
    return counts;
  }

  /** As `nearest`, each question by its place among the questions asked before. */
  nearestQuestions(terms: readonly string[], limit = NEIGHBOURS, skip?: number): { question: number; similarity: number }[] {
    const unique = [...new Set(withPairs(terms))];
    const held = unique.map((term) => this.termAt.get(term));
    let norm = 0;
    for (let k = 0; k < held.length; k++) {
      const t = held[k];
      // A pair that no two questions asked before share says what none of them does, as an unseen term does.
      norm += t === undefined ? this.unseenIdf * (isPair(unique[k]!) ? PAIR_WEIGHT : 1) : this.idfs[t]!;
    }
    const { shared, touched } = this;
    const { postings, postingEnds } = this.file;
    let count = 0;
    for (const t of held) {
      if (t === undefined) continue;
      const idf = this.idfs[t]!;
      for (let p = listStart(postingEnds, t), end = postingEnds[t]!; p < end; p++) {
        const i = postings[p]!;
        if (i === skip) continue;
        if (shared[i] === 0) touched[count++] = i;
        shared[i]! += idf;
      }
    }
    // The best few kept in order as they come: a question shares a word with hundreds of others.
    const best: { i: number; similarity: number }[] = [];
    for (let k = 0; k < count; k++) {
      const i = touched[k]!;
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
    return best.map(({ i, similarity }) => ({ question: i, similarity }));
  }

  private passagesOf(i: number): string[] {
    const { answers, answerEnds, passages } = this.file;
    const ids: string[] = [];
    for (let k = listStart(answerEnds, i); k < answerEnds[i]!; k++) ids.push(passages[answers[k]!]!);
    return ids;
  }
}

/** A word of a question that questions asked before hold (`QuestionBank.heldWords`). */
interface HeldWord {
  t: number;
  holding: number;
  skipped: boolean;
}

function meanOf(words: readonly HeldWord[], evidence: (word: HeldWord) => number): number {
  let sum = 0;
  for (const word of words) sum += evidence(word);
  return words.length ? sum / words.length : 0;
}

/** Whether a posting list (questions in order) holds the question. */
function holds(postings: readonly number[], start: number, end: number, question: number): boolean {
  let low = start;
  let high = end;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (postings[middle]! < question) low = middle + 1;
    else high = middle;
  }
  return low < end && postings[low] === question;
}

/** More alike first; between equals, the question asked first. */
function isBetter(similarity: number, i: number, than: { i: number; similarity: number }): boolean {
  return similarity > than.similarity || (similarity === than.similarity && i < than.i);
}

/** A term is letters and digits: the joiner of a pair cannot occur in one. */
const PAIR_JOINER = '+';
const isPair = (term: string) => term.includes(PAIR_JOINER);

/** The terms, then each two neighbouring ones as a pair, in either order the same ("statistician vs ML engineer" is "ML engineer vs statistician"). */
function withPairs(terms: readonly string[]): string[] {
  const all = [...terms];
  for (let i = 1; i < terms.length; i++) {
    const [a, b] = [terms[i - 1]!, terms[i]!];
    all.push(a < b ? `${a}${PAIR_JOINER}${b}` : `${b}${PAIR_JOINER}${a}`);
  }
  return all;
}
