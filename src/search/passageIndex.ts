import { SpellingCorrector } from './spelling.js';
import { TermAnalyzer, toWords, type Word } from './terms.js';

/**
 * Where a term is found matters: a heading says what a passage is about, and the text is what answers. The
 * text weighs more than the document title, which every passage of a document shares: measured on the dev and
 * holdout sets and with 100,000 distractor passages, where short look-alike headings otherwise win. Phrasings
 * (the questions a section answers, as members word them) are searched but never shown.
 */
export const FIELD_BOOSTS = { heading: 2, title: 1, text: 1.5, phrasings: 1 } as const;
const FIELDS = Object.keys(FIELD_BOOSTS) as (keyof typeof FIELD_BOOSTS)[];
const BOOSTS = FIELDS.map((field) => FIELD_BOOSTS[field]);
/** The fields a member reads: a term only phrasings hold is searchable, but the knowledge base does not say it. */
const SHOWN_FIELDS = FIELDS.indexOf('phrasings');
/** BM25+ as MiniSearch scores it (its defaults): rankings are MiniSearch's, to the last bit. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;

/** Bumped whenever the index layout or the analysis changes: a saved index of another version is rebuilt. */
export const INDEX_FORMAT_VERSION = 2;

/** How many passages a search ranks exactly by default; the engine needs a dozen. */
export const DEFAULT_LIMIT = 50;

/** Options for MiniSearch that index the same analysed fields: the reference the ranking is tested against. */
export const MINISEARCH_OPTIONS = {
  fields: FIELDS as string[],
  tokenize: (terms: string) => (terms ? terms.split(' ') : []),
  processTerm: (term: string) => term,
  searchOptions: { boost: FIELD_BOOSTS, tokenize: (terms: string) => (terms ? terms.split(' ') : []), processTerm: (term: string) => term },
};

/** What the index reads of a passage: the fields it searches. */
export interface IndexedPassage {
  id: string;
  documentTitle: string;
  heading: string;
  text: string;
  /** Questions the passage answers, as members word them: searched, never shown. */
  phrasings: readonly string[];
}

export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface PassageHit {
  id: string;
  /** The passage's position in the indexed list. */
  index: number;
  score: number;
  /** The query terms the passage matches, in query order. */
  queryTerms: string[];
}

export interface SearchOptions {
  /** How many of the best passages to return (ranked exactly); default 50. */
  limit?: number;
  /** A factor on a passage's score, by its position; `maxBoost` must bound it. */
  boostPassage?: (index: number) => number;
  maxBoost?: number;
  /**
   * The passages of another index searched beside this one (a server's own beside the shared knowledge base):
   * scores count them as if both were one index, so that hits from either rank together. The first stage still
   * ranks by this index's own statistics; only the exact scores of the best change.
   */
  beside?: CorpusStatistics;
}

/** What scoring needs to know of an index's passages: how many, which hold a term in each field, how long fields are. */
export interface CorpusStatistics {
  size: number;
  /** Passages whose field `field` holds the term. */
  fieldFrequency(term: string, field: number): number;
  /** Per field, the distinct terms of all passages added up. */
  lengthSums: readonly number[];
  /** Passages whose shown fields hold the term (see PassageIndex.documentFrequency). */
  documentFrequency(term: string): number;
}

/** One field's postings, compressed-row style: term t's passages are `docs[offsets[t]..offsets[t+1])`, ascending. */
export interface FieldPostings {
  offsets: Uint32Array;
  docs: Uint32Array;
  freqs: Uint16Array;
  /** Distinct terms in the field, by passage (MiniSearch's field length). */
  lengths: Uint16Array;
  averageLength: number;
}

/** Everything needed to restore an index without analysing a word: typed arrays and string lists. */
export interface IndexState {
  version: number;
  ids: string[];
  terms: string[];
  fields: FieldPostings[];
  /** Passages holding each term in a field a member reads (not only in its phrasings). */
  documentFrequency: Uint32Array;
  /** The vocabulary typos are corrected against, in first-seen order, with counts. */
  words: string[];
  wordCounts: Uint32Array;
}

interface QueryTerm {
  term: string;
  id: number;
  boost: number;
  /** Per field: first and end posting, and BM25's idf for the field. */
  ranges: { field: number; start: number; end: number; idf: number }[];
  /** The most this term can add to one passage's score (before the passage boost). */
  bound: number;
  /** How many times the query repeats it. */
  times: number;
  /** Its postings over all fields: what walking them costs. */
  postings: number;
}

/**
 * The search index over passages: BM25+ over heading, title and text with MiniSearch's exact scoring (scores
 * and ties are identical to MiniSearch over the same analysed fields), stored as compact typed-array postings,
 * and searched in two stages so that a term found in a large share of the passages costs little:
 *
 * 1. terms are taken rarest first, their postings accumulated into flat arrays; before a term whose postings
 *    outnumber the passages seen so far, the most any passage not yet seen could still score (the sum of the
 *    remaining terms' bounds, times their count, as MiniSearch multiplies a score by the number of terms
 *    matched) is compared with the `limit`-th best partial score so far. Once no unseen passage can make the
 *    cut, the remaining (common) terms only add to the candidates already found, by lookup, their long posting
 *    lists are never walked, and candidates that can no longer make the cut are dropped after each term;
 * 2. the best candidates are scored again exactly as MiniSearch would (same operations, same order) and
 *    ranked by score, then id.
 *
 * It also knows how many passages hold a term (for weighting and confidence) and the vocabulary typos are
 * corrected against.
 */
export class PassageIndex {
  private readonly termIds: Map<string, number>;
  /** Per field and posting, BM25's saturation factor (single precision: the first stage only ranks roughly). */
  private readonly saturations: Float32Array[];
  /** Per field and term, the largest saturation any of its postings reaches: for the bounds. */
  private readonly maxSaturation: Float64Array[];
  private scratch: Scratch | undefined;
  private ownStatistics: CorpusStatistics | undefined;
  private corrector: SpellingCorrector | undefined;

  private constructor(
    readonly analyzer: TermAnalyzer,
    private readonly state: IndexState,
    private readonly fewWords = false,
  ) {
    this.termIds = new Map();
    state.terms.forEach((term, id) => this.termIds.set(term, id));
    this.saturations = [];
    this.maxSaturation = state.fields.map((field) => {
      const { offsets, docs, freqs, lengths, averageLength } = field;
      const saturations = new Float32Array(docs.length);
      const max = new Float64Array(state.terms.length);
      for (let t = 0; t < state.terms.length; t++) {
        let best = 0;
        for (let p = offsets[t]!, end = offsets[t + 1]!; p < end; p++) {
          const s = saturation(freqs[p]!, lengths[docs[p]!]!, averageLength);
          saturations[p] = s;
          if (s > best) best = s;
        }
        max[t] = best;
      }
      this.saturations.push(saturations);
      return max;
    });
  }

  /** `fewWords`: a small index (a server's own) whose typos are corrected without a tree of its words. */
  static build(passages: readonly IndexedPassage[], analyzer = new TermAnalyzer(), { fewWords = false } = {}): PassageIndex {
    const builder = new IndexBuilder(passages.length);
    const titles = new Map<string, { words: Word[]; terms: string[] }>();
    // The vocabulary typos are corrected against: words in first-seen order, counted (one map lookup a word).
    const wordIds = new Map<string, number>();
    let wordCounts = new Uint32Array(1024);
    const count = (words: readonly Word[]) => {
      for (const { word } of words) {
        const first = word.charCodeAt(0);
        if (first >= 48 && first <= 57 && /^\d+$/.test(word)) continue;
        let id = wordIds.get(word);
        if (id === undefined) {
          id = wordIds.size;
          wordIds.set(word, id);
          if (id === wordCounts.length) {
            const bigger = new Uint32Array(id * 2);
            bigger.set(wordCounts);
            wordCounts = bigger;
          }
        }
        wordCounts[id]! += 1;
      }
    };
    for (const passage of passages) {
      let title = titles.get(passage.documentTitle);
      if (!title) {
        const words = toWords(passage.documentTitle);
        title = { words, terms: analyzer.terms(words).map((t) => t.term) };
        titles.set(passage.documentTitle, title);
      }
      const headingWords = toWords(passage.heading);
      const textWords = toWords(passage.text);
      const phrasingWords = toWords(passage.phrasings.join('\n'));
      count(title.words);
      count(headingWords);
      count(textWords);
      count(phrasingWords);
      const terms = (words: Word[]) => analyzer.terms(words).map((t) => t.term);
      builder.add(passage.id, [terms(headingWords), title.terms, terms(textWords), terms(phrasingWords)]);
    }
    const state = builder.finish();
    state.words = [...wordIds.keys()];
    state.wordCounts = wordCounts.slice(0, wordIds.size);
    return new PassageIndex(analyzer, state, fewWords);
  }

  /** An index from a saved state; throws when the state is not one this version wrote or is inconsistent. */
  static restore(state: IndexState, analyzer = new TermAnalyzer()): PassageIndex {
    checkState(state);
    return new PassageIndex(analyzer, state);
  }

  /** The typo corrector over the index's vocabulary, words in first-seen order (ties resolve by it), made on first use. */
  get spelling(): SpellingCorrector {
    const { words, wordCounts } = this.state;
    return (this.corrector ??= new SpellingCorrector(
      (function* () {
        for (let i = 0; i < words.length; i++) yield [words[i]!, wordCounts[i]!] as [string, number];
      })(),
      { fewWords: this.fewWords },
    ));
  }

  save(): IndexState {
    return this.state;
  }

  get size(): number {
    return this.state.ids.length;
  }

  /** The indexed passage ids, in order. */
  get ids(): readonly string[] {
    return this.state.ids;
  }

  /** Whether any field of any passage holds the term: whether searching for it can find anything. */
  has(term: string): boolean {
    return this.termIds.has(term);
  }

  /** Passages whose shown fields hold the term. */
  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.state.documentFrequency[id]!;
  }

  /** This index's statistics, for scoring another index's passages beside it. */
  statistics(): CorpusStatistics {
    return (this.ownStatistics ??= {
      size: this.size,
      fieldFrequency: (term, field) => {
        const id = this.termIds.get(term);
        const offsets = this.state.fields[field]!.offsets;
        return id === undefined ? 0 : offsets[id + 1]! - offsets[id]!;
      },
      lengthSums: this.state.fields.map((field) => field.averageLength * this.size),
      documentFrequency: (term) => this.documentFrequency(term),
    });
  }

  /** BM25's inverse document frequency; a term the index has never seen gets the highest possible. */
  idf(term: string): number {
    const n = this.size;
    const df = this.documentFrequency(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The best passages for the terms (OR), ranked by score and then id. */
  search(terms: readonly WeightedTerm[], options: SearchOptions = {}): PassageHit[] {
    const limit = Math.max(1, options.limit ?? DEFAULT_LIMIT);
    const boostOf = options.boostPassage;
    const maxBoost = boostOf ? (options.maxBoost ?? Infinity) : 1;
    if (terms.length >= CANDIDATE - 1) throw new RangeError('too many query terms');
    // MiniSearch looks a term's boost up by term, so a repeated term takes its last weight.
    const weightOf = new Map(terms.map((t) => [t.term, t.weight]));
    const beside = options.beside;
    const query = terms.map((t) => this.queryTerm(t.term, weightOf.get(t.term)!, beside)).filter((q): q is QueryTerm => q !== undefined);
    if (query.length === 0) return [];

    const scratch = (this.scratch ??= newScratch(this.size));
    const { acc, count, mark, touched } = scratch;
    // The first stage counts a repeated term once (as MiniSearch's term count does) and its score as often as it is repeated.
    const unique = new Map<string, QueryTerm>();
    for (const q of query) {
      const earlier = unique.get(q.term);
      unique.set(q.term, earlier ? { ...earlier, times: earlier.times + 1, bound: earlier.bound + q.bound } : q);
    }
    const order = [...unique.values()].sort((a, b) => a.postings - b.postings);
    const remaining = new Float64Array(order.length + 1);
    for (let j = order.length - 1; j >= 0; j--) remaining[j] = remaining[j + 1]! + order[j]!.bound;

    let seen = 0;
    /** Once set, the (sorted) candidates of the second stage. */
    let pool: Uint32Array | undefined;
    try {
      for (let j = 0; j < order.length; j++) {
        const term = order[j]!;
        const termsLeft = order.length - j;
        if (!pool && j > 0 && seen >= limit && term.postings > seen) {
          // Could a passage that none of the rarer terms matched still make the cut? Asking costs a pass over
          // the passages seen so far, so it is asked only when walking this term's postings would cost more.
          const unseenBound = maxBoost * remaining[j]! * termsLeft * SLACK;
          const seenSoFar = touched.subarray(0, seen);
          // No: from here on, terms only add to the passages found, and only to those that can still make it.
          if (partialScores(seenSoFar, scratch, boostOf, unseenBound) >= limit) {
            pool = this.sorted(this.prune(seenSoFar, limit, remaining[j]!, termsLeft, boostOf, scratch, true), scratch);
          }
        } else if (pool && pool.length > 2 * limit) {
          pool = this.prune(pool, limit, remaining[j]!, termsLeft, boostOf, scratch, false);
        }
        if (pool) this.addToCandidates(term, j + 1, pool, scratch);
        else seen = this.addAll(term, j + 1, scratch, seen);
      }

      const best = this.best(pool ?? touched.subarray(0, seen), scratch, limit + 8, boostOf);
      const averageLengths = this.state.fields.map((field, f) =>
        beside ? (field.averageLength * this.size + beside.lengthSums[f]!) / (this.size + beside.size) : field.averageLength,
      );
      return best
        .map((doc) => this.exactHit(doc, query, boostOf ? boostOf(doc) : 1, averageLengths))
        .filter((hit): hit is PassageHit => hit !== undefined)
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
        .slice(0, limit);
    } finally {
      for (let i = 0; i < seen; i++) {
        const doc = touched[i]!;
        acc[doc] = 0;
        count[doc] = 0;
        mark[doc] = 0;
      }
    }
  }

  /**
   * The passages of `list` that can still make the best `limit`: their score so far plus the most the remaining
   * terms can add, times their term count so far plus the terms remaining, reaches the `limit`-th best score so
   * far (a lower bound of the final cut, as scores only grow). The rest are unmarked as candidates.
   */
  private prune(
    list: Uint32Array,
    limit: number,
    rest: number,
    termsLeft: number,
    boostOf: ((doc: number) => number) | undefined,
    scratch: Scratch,
    scored: boolean,
  ): Uint32Array {
    const { acc, count, mark, values, kept } = scratch;
    const n = list.length;
    if (!scored) partialScores(list, scratch, boostOf, Infinity);
    const threshold = kthLargest(values, n, limit) / SLACK;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const doc = list[i]!;
      const bound = (acc[doc]! + rest) * (count[doc]! + termsLeft);
      if ((boostOf ? boostOf(doc) * bound : bound) >= threshold) {
        kept[k++] = doc;
        if (mark[doc]! < CANDIDATE) mark[doc] = CANDIDATE;
      } else mark[doc] = 1;
    }
    return kept.subarray(0, k);
  }

  private queryTerm(term: string, boost: number, beside: CorpusStatistics | undefined): QueryTerm | undefined {
    const id = this.termIds.get(term);
    if (id === undefined) return undefined;
    const n = this.size + (beside?.size ?? 0);
    const ranges: QueryTerm['ranges'] = [];
    let bound = 0;
    let postings = 0;
    this.state.fields.forEach((field, f) => {
      const start = field.offsets[id]!;
      const end = field.offsets[id + 1]!;
      if (start === end) return;
      const matching = end - start + (beside?.fieldFrequency(term, f) ?? 0);
      const idf = Math.log(1 + (n - matching + 0.5) / (matching + 0.5));
      ranges.push({ field: f, start, end, idf });
      bound += boost * BOOSTS[f]! * idf * (BM25.d + this.maxSaturation[f]![id]!);
      postings += end - start;
    });
    return ranges.length ? { term, id, boost, ranges, bound, postings, times: 1 } : undefined;
  }

  /** First stage: every posting of the term, passages not seen before included. */
  private addAll(term: QueryTerm, step: number, scratch: Scratch, seen: number): number {
    const { acc, count, mark, touched } = scratch;
    for (const { field: f, start, end, idf } of term.ranges) {
      const docs = this.state.fields[f]!.docs;
      const saturations = this.saturations[f]!;
      const factor = term.times * term.boost * BOOSTS[f]! * idf;
      for (let p = start; p < end; p++) {
        const doc = docs[p]!;
        const last = mark[doc]!;
        if (last !== step) {
          if (last === 0) touched[seen++] = doc;
          mark[doc] = step;
          count[doc]! += 1;
        }
        acc[doc]! += factor * (BM25.d + saturations[p]!);
      }
    }
    return seen;
  }

  /**
   * Second stage: the term only adds to the candidates (marked CANDIDATE + the last step that counted), found
   * by galloping through its postings when they are few, by one pass over the postings when they are many.
   */
  private addToCandidates(term: QueryTerm, step: number, candidates: Uint32Array, { acc, count, mark }: Scratch): void {
    const stamp = CANDIDATE + step;
    for (const { field: f, start, end, idf } of term.ranges) {
      const docs = this.state.fields[f]!.docs;
      const saturations = this.saturations[f]!;
      const factor = term.times * term.boost * BOOSTS[f]! * idf;
      if (candidates.length * 16 < end - start) {
        let p = start;
        for (let c = 0; c < candidates.length && p < end; c++) {
          const doc = candidates[c]!;
          p = gallop(docs, p, end, doc);
          if (p < end && docs[p] === doc) {
            acc[doc]! += factor * (BM25.d + saturations[p]!);
            if (mark[doc] !== stamp) {
              mark[doc] = stamp;
              count[doc]! += 1;
            }
          }
        }
      } else {
        for (let p = start; p < end; p++) {
          const doc = docs[p]!;
          const last = mark[doc]!;
          if (last < CANDIDATE) continue;
          acc[doc]! += factor * (BM25.d + saturations[p]!);
          if (last !== stamp) {
            mark[doc] = stamp;
            count[doc]! += 1;
          }
        }
      }
    }
  }

  /** The candidates in passage order: sorted when few, read off the candidate marks when many. */
  private sorted(list: Uint32Array, { mark, kept }: Scratch): Uint32Array {
    const n = this.state.ids.length;
    if (list.length * 32 < n) return list.sort();
    let k = 0;
    for (let doc = 0; doc < n; doc++) if (mark[doc]! >= CANDIDATE) kept[k++] = doc;
    return kept.subarray(0, k);
  }

  /** The `k` best passages of the pool by first-stage score (ties by id): those scored exactly afterwards. */
  private best(pool: Uint32Array, scratch: Scratch, k: number, boostOf: ((doc: number) => number) | undefined): number[] {
    const { values, scores } = scratch;
    const n = pool.length;
    partialScores(pool, scratch, boostOf, Infinity);
    scores.set(values.subarray(0, n));
    const threshold = n > k ? kthLargest(values, n, k) : -Infinity;
    const chosen: { doc: number; score: number }[] = [];
    for (let i = 0; i < n; i++) if (scores[i]! >= threshold) chosen.push({ doc: pool[i]!, score: scores[i]! });
    const ids = this.state.ids;
    chosen.sort((a, b) => b.score - a.score || (ids[a.doc]! < ids[b.doc]! ? -1 : 1));
    return chosen.slice(0, k).map((c) => c.doc);
  }

  /** A passage's score exactly as MiniSearch computes it: per term, per field, in the same order. */
  private exactHit(doc: number, query: readonly QueryTerm[], docBoost: number, averageLengths: readonly number[]): PassageHit | undefined {
    if (!docBoost) return undefined;
    let score = 0;
    let any = false;
    const queryTerms: string[] = [];
    for (const term of query) {
      let termScore = 0;
      let matched = false;
      for (const { field: f, start, end, idf } of term.ranges) {
        const field = this.state.fields[f]!;
        const p = gallop(field.docs, start, end, doc);
        if (p >= end || field.docs[p] !== doc) continue;
        const termFreq = field.freqs[p]!;
        const raw = idf * (BM25.d + (termFreq * (BM25.k + 1)) / (termFreq + BM25.k * (1 - BM25.b + (BM25.b * field.lengths[doc]!) / averageLengths[f]!)));
        const weighted = 1 * term.boost * BOOSTS[f]! * docBoost * raw;
        termScore = matched ? termScore + weighted : weighted;
        matched = true;
      }
      if (!matched) continue;
      score = any ? score + termScore : termScore;
      any = true;
      if (!queryTerms.includes(term.term)) queryTerms.push(term.term);
    }
    if (!any) return undefined;
    return { id: this.state.ids[doc]!, index: doc, score: score * (queryTerms.length || 1), queryTerms };
  }
}

/** Marks a passage kept for the second stage (plus the step that last counted a term for it). */
const CANDIDATE = 0x8000;
/** Bounds are compared with this much room, for the rounding of single-precision saturations and of sums. */
const SLACK = 1 + 1e-6;

/** Per-passage working arrays of a search, allocated once and left zeroed after each search. */
interface Scratch {
  /** Score so far (before the passage boost), terms matched so far, the last term step that counted. */
  acc: Float64Array;
  count: Uint16Array;
  mark: Uint16Array;
  /** The passages seen so far, in the order first seen. */
  touched: Uint32Array;
  kept: Uint32Array;
  values: Float64Array;
  scores: Float64Array;
}

function newScratch(n: number): Scratch {
  return {
    acc: new Float64Array(n),
    count: new Uint16Array(n),
    mark: new Uint16Array(n),
    touched: new Uint32Array(n),
    kept: new Uint32Array(n),
    values: new Float64Array(n),
    scores: new Float64Array(n),
  };
}

/**
 * Writes the passages' scores so far (boost × score × terms matched, a lower bound of their final score) to
 * `values`, and returns how many exceed `above`.
 */
function partialScores(list: Uint32Array, { acc, count, values }: Scratch, boostOf: ((doc: number) => number) | undefined, above: number): number {
  let exceeding = 0;
  for (let i = 0; i < list.length; i++) {
    const doc = list[i]!;
    const score = acc[doc]! * count[doc]!;
    const value = boostOf ? boostOf(doc) * score : score;
    values[i] = value;
    if (value > above) exceeding++;
  }
  return exceeding;
}

/** BM25's term-frequency saturation for a passage: the part of the score that depends on the passage. */
function saturation(termFreq: number, fieldLength: number, averageLength: number): number {
  return (termFreq * (BM25.k + 1)) / (termFreq + BM25.k * (1 - BM25.b + (BM25.b * fieldLength) / averageLength));
}

/** The first position in `docs[from..end)` holding a passage >= doc (galloping, then binary search). */
function gallop(docs: Uint32Array, from: number, end: number, doc: number): number {
  if (from >= end || docs[from]! >= doc) return from;
  let step = 1;
  let low = from;
  let high = from + 1;
  while (high < end && docs[high]! < doc) {
    low = high;
    step *= 2;
    high = from + step;
  }
  if (high > end) high = end;
  // docs[low] < doc, and docs[high] >= doc or high === end
  while (low + 1 < high) {
    const mid = (low + high) >>> 1;
    if (docs[mid]! < doc) low = mid;
    else high = mid;
  }
  return high;
}

/** The k-th largest of values[0..n) (1-based k <= n), by quickselect; reorders values. */
function kthLargest(values: Float64Array, n: number, k: number): number {
  let low = 0;
  let high = n - 1;
  const target = k - 1;
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return values[target]!;
}

/** Accumulates postings passage by passage, then lays them out by term. */
class IndexBuilder {
  private readonly ids: string[] = [];
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly fieldTerms = FIELDS.map(() => new Growable(Uint32Array));
  private readonly fieldFreqs = FIELDS.map(() => new Growable(Uint16Array));
  private readonly fieldEnds: Uint32Array[];
  private readonly lengths: Uint16Array[];
  private readonly averages = FIELDS.map(() => 0);
  private documentFrequency = new Growable(Uint32Array);
  private lastSeen = new Growable(Int32Array);
  private tf = new Growable(Uint32Array);

  constructor(private readonly capacity: number) {
    this.fieldEnds = FIELDS.map(() => new Uint32Array(capacity));
    this.lengths = FIELDS.map(() => new Uint16Array(capacity));
  }

  add(id: string, fields: readonly (readonly string[])[]): void {
    const doc = this.ids.length;
    if (doc >= this.capacity) throw new Error('more passages than the index was sized for');
    this.ids.push(id);
    fields.forEach((terms, f) => {
      const distinct: number[] = [];
      for (const term of terms) {
        let t = this.termIds.get(term);
        if (t === undefined) {
          t = this.terms.length;
          this.termIds.set(term, t);
          this.terms.push(term);
          this.documentFrequency.push(0);
          this.lastSeen.push(-1);
          this.tf.push(0);
        }
        if (this.tf.array[t]! === 0) distinct.push(t);
        this.tf.array[t]! += 1;
      }
      for (const t of distinct) {
        this.fieldTerms[f]!.push(t);
        this.fieldFreqs[f]!.push(Math.min(this.tf.array[t]!, 0xffff));
        this.tf.array[t] = 0;
        if (f < SHOWN_FIELDS && this.lastSeen.array[t] !== doc) {
          this.lastSeen.array[t] = doc;
          this.documentFrequency.array[t]! += 1;
        }
      }
      this.fieldEnds[f]![doc] = this.fieldTerms[f]!.length;
      this.lengths[f]![doc] = Math.min(distinct.length, 0xffff);
      // MiniSearch's running average, operation for operation, so scores match it exactly.
      this.averages[f] = (this.averages[f]! * doc + distinct.length) / (doc + 1);
    });
  }

  finish(): IndexState {
    const n = this.ids.length;
    const termCount = this.terms.length;
    const fields = FIELDS.map((_, f): FieldPostings => {
      const termsOf = this.fieldTerms[f]!.array.subarray(0, this.fieldTerms[f]!.length);
      const freqsOf = this.fieldFreqs[f]!.array.subarray(0, this.fieldFreqs[f]!.length);
      const offsets = new Uint32Array(termCount + 1);
      for (let i = 0; i < termsOf.length; i++) offsets[termsOf[i]! + 1]! += 1;
      for (let t = 0; t < termCount; t++) offsets[t + 1]! += offsets[t]!;
      const next = offsets.slice(0, termCount);
      const docs = new Uint32Array(termsOf.length);
      const freqs = new Uint16Array(termsOf.length);
      const ends = this.fieldEnds[f]!;
      let doc = 0;
      for (let i = 0; i < termsOf.length; i++) {
        while (i >= ends[doc]!) doc++;
        const slot = next[termsOf[i]!]!++;
        docs[slot] = doc;
        freqs[slot] = freqsOf[i]!;
      }
      return { offsets, docs, freqs, lengths: this.lengths[f]!.slice(0, n), averageLength: this.averages[f]! };
    });
    return {
      version: INDEX_FORMAT_VERSION,
      ids: this.ids,
      terms: this.terms,
      fields,
      documentFrequency: this.documentFrequency.array.slice(0, termCount),
      words: [],
      wordCounts: new Uint32Array(0),
    };
  }
}

type TypedArray = Uint32Array | Uint16Array | Int32Array;

class Growable<T extends TypedArray> {
  array: T;
  length = 0;
  constructor(private readonly Kind: { new (size: number): T }) {
    this.array = new Kind(1024);
  }
  push(value: number): void {
    if (this.length === this.array.length) {
      const bigger = new this.Kind(this.array.length * 2);
      bigger.set(this.array as never);
      this.array = bigger;
    }
    this.array[this.length++] = value;
  }
}

/** A saved state is used only when its shape is exactly what this version writes. */
function checkState(state: IndexState): void {
  const fail = (why: string) => {
    throw new Error(`saved search index is not usable: ${why}`);
  };
  if (state.version !== INDEX_FORMAT_VERSION) fail(`format ${String(state.version)}, expected ${INDEX_FORMAT_VERSION}`);
  const n = state.ids.length;
  const termCount = state.terms.length;
  if (state.fields.length !== FIELDS.length) fail('wrong number of fields');
  if (state.documentFrequency.length !== termCount) fail('document frequencies do not match the terms');
  if (state.words.length !== state.wordCounts.length) fail('word counts do not match the words');
  for (const field of state.fields) {
    if (field.offsets.length !== termCount + 1 || field.offsets[0] !== 0) fail('postings offsets do not match the terms');
    if (field.offsets[termCount] !== field.docs.length || field.docs.length !== field.freqs.length) fail('postings are truncated');
    if (field.lengths.length !== n || !(field.averageLength >= 0)) fail('field lengths do not match the passages');
    for (let t = 0; t < termCount; t++) if (field.offsets[t + 1]! < field.offsets[t]!) fail('postings offsets are not ascending');
    for (let p = 0; p < field.docs.length; p++) if (field.docs[p]! >= n) fail('a posting names a passage that does not exist');
  }
}
