import MiniSearch, { type SearchResult } from 'minisearch';
import type { Passage } from '../knowledge/schema.js';
import { countWords, SpellingCorrector } from './spelling.js';
import { TermAnalyzer, toWords } from './terms.js';

/** Where a term is found matters: a heading says what a passage is about. */
export const FIELD_BOOSTS = { heading: 2.5, title: 1.5, text: 1 } as const;
const FIELDS = Object.keys(FIELD_BOOSTS);

/** Fields are stored already analysed, as space-separated terms, so text is analysed once. */
interface AnalysedPassage {
  id: string;
  title: string;
  heading: string;
  text: string;
}

const splitTerms = (terms: string) => (terms ? terms.split(' ') : []);

export const MINISEARCH_OPTIONS = {
  fields: FIELDS,
  tokenize: splitTerms,
  processTerm: (term: string) => term,
  searchOptions: { boost: FIELD_BOOSTS, tokenize: splitTerms, processTerm: (term: string) => term },
};

export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface IndexState {
  miniSearch: ReturnType<MiniSearch['toJSON']>;
  documentFrequency: [string, number][];
  wordCounts: [string, number][];
}

/**
 * The search index over passages, plus what MiniSearch does not expose: how many passages hold a term (for
 * weighting and confidence) and the vocabulary typos are corrected against.
 */
export class PassageIndex {
  private constructor(
    readonly analyzer: TermAnalyzer,
    private readonly miniSearch: MiniSearch<AnalysedPassage>,
    private readonly frequency: Map<string, number>,
    readonly spelling: SpellingCorrector,
  ) {}

  static build(passages: readonly Passage[], analyzer = new TermAnalyzer()): PassageIndex {
    const miniSearch = new MiniSearch<AnalysedPassage>(MINISEARCH_OPTIONS);
    const frequency = new Map<string, number>();
    const wordsOfTitle = new Map<string, string>();
    const analysed = passages.map((passage) => {
      let title = wordsOfTitle.get(passage.documentTitle);
      if (title === undefined) {
        title = analyzer.textTerms(passage.documentTitle).join(' ');
        wordsOfTitle.set(passage.documentTitle, title);
      }
      const heading = analyzer.textTerms(passage.heading).join(' ');
      const text = analyzer.textTerms(passage.text).join(' ');
      for (const term of new Set([...splitTerms(title), ...splitTerms(heading), ...splitTerms(text)])) {
        frequency.set(term, (frequency.get(term) ?? 0) + 1);
      }
      return { id: passage.id, title, heading, text };
    });
    miniSearch.addAll(analysed);
    const wordCounts = countWords(passages.map((p) => toWords(`${p.documentTitle} ${p.heading} ${p.text}`)));
    return new PassageIndex(analyzer, miniSearch, frequency, new SpellingCorrector(wordCounts));
  }

  static restore(state: IndexState, analyzer = new TermAnalyzer()): PassageIndex {
    const miniSearch = MiniSearch.loadJS<AnalysedPassage>(state.miniSearch, MINISEARCH_OPTIONS);
    return new PassageIndex(analyzer, miniSearch, new Map(state.documentFrequency), new SpellingCorrector(state.wordCounts));
  }

  save(): IndexState {
    return {
      miniSearch: this.miniSearch.toJSON(),
      documentFrequency: [...this.frequency],
      wordCounts: this.spelling.entries(),
    };
  }

  get size(): number {
    return this.miniSearch.documentCount;
  }

  documentFrequency(term: string): number {
    return this.frequency.get(term) ?? 0;
  }

  /** BM25's inverse document frequency; a term the index has never seen gets the highest possible. */
  idf(term: string): number {
    const n = this.size;
    const df = this.documentFrequency(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  search(
    terms: readonly WeightedTerm[],
    options: { fields?: string[]; boostPassage?: (id: string) => number; prefixLast?: boolean } = {},
  ): SearchResult[] {
    const weightOf = new Map(terms.map((t) => [t.term, t.weight]));
    return this.miniSearch.search(terms.map((t) => t.term).join(' '), {
      ...(options.fields ? { fields: options.fields } : {}),
      boostTerm: (term) => weightOf.get(term) ?? 1,
      ...(options.boostPassage ? { boostDocument: (id: string) => options.boostPassage!(id) } : {}),
      ...(options.prefixLast ? { prefix: (_: string, i: number, all: string[]) => i === all.length - 1 } : {}),
    });
  }
}
