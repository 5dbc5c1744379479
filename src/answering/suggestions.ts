import MiniSearch from 'minisearch';
import type { Passage } from '../knowledge/schema.js';
import { shorten } from '../text/cut.js';
import { STOP_WORDS } from '../search/lexicon.js';
import { toWords, type TermAnalyzer } from '../search/terms.js';

/** Discord allows at most 25 autocomplete choices of at most 100 characters. */
export const MAX_SUGGESTIONS = 25;
const MAX_LABEL_CHARS = 100;

/** What autocomplete offers of a passage: its heading, or its title when the heading says too little. */
export type SuggestionSource = Pick<Passage, 'heading' | 'title' | 'documentId'>;

interface Label {
  id: number;
  label: string;
  terms: string;
  documentId: string;
}

/**
 * Autocomplete over the questions the knowledge base answers (its headings). The words typed so far are
 * matched exactly (through the same synonyms as search), the word being typed by prefix, and a typo by one
 * edit; exact matches rank above prefix matches, and those above fuzzy ones.
 */
export class SuggestionIndex {
  private readonly labels: Label[];
  private readonly miniSearch: MiniSearch<Label>;

  constructor(
    passages: readonly SuggestionSource[],
    private readonly analyzer: TermAnalyzer,
  ) {
    const seen = new Set<string>();
    this.labels = [];
    for (const passage of passages) {
      const label = labelOf(passage);
      if (seen.has(label.toLowerCase())) continue;
      seen.add(label.toLowerCase());
      this.labels.push({ id: this.labels.length, label, terms: this.termsOf(label).join(' '), documentId: passage.documentId });
    }
    this.miniSearch = new MiniSearch<Label>({
      fields: ['terms'],
      tokenize: (text) => (text ? text.split(' ') : []),
      processTerm: (term) => term,
    });
    this.miniSearch.addAll(this.labels);
  }

  /**
   * Up to 25 labels for what was typed. With `beside` (a server's own questions), both rank together by score;
   * with nothing typed, its starters come first.
   */
  suggest(typed: string, beside?: SuggestionIndex): string[] {
    const words = toWords(typed);
    const partial = /[\p{L}\p{N}]$/u.test(typed) ? words.pop() : undefined;
    const queries = this.termsOf(words.map((w) => w.surface).join(' '));
    if (partial) queries.push(partial.word);
    const labels =
      queries.length === 0
        ? [...(beside?.starters() ?? []), ...this.starters()]
        : [...this.scored(queries, partial !== undefined), ...(beside?.scored(queries, partial !== undefined) ?? [])]
            .sort((a, b) => b.score - a.score)
            .map((hit) => hit.label);
    return [...new Set(labels)].slice(0, MAX_SUGGESTIONS);
  }

  private scored(queries: string[], lastIsPartial: boolean): { label: string; score: number }[] {
    const results = this.miniSearch.search(queries.join(' '), {
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
      prefix: (_term, i, all) => lastIsPartial && i === all.length - 1,
      fuzzy: (term) => (term.length >= 5 ? 1 : false),
      weights: { prefix: 0.6, fuzzy: 0.3 },
    });
    return results.slice(0, MAX_SUGGESTIONS).map((r) => ({ label: this.labels[r.id as number]!.label, score: r.score }));
  }

  /** With nothing typed: the first question of each document, then the rest, in knowledge-base order. */
  private starters(): string[] {
    const firsts = this.labels.filter((l, i) => i === 0 || this.labels[i - 1]!.documentId !== l.documentId);
    const rest = this.labels.filter((l) => !firsts.includes(l));
    return [...firsts, ...rest].slice(0, MAX_SUGGESTIONS).map((l) => l.label);
  }

  /** A label's plain words and its search terms, so both "swe" and "software" find "software engineer". */
  private termsOf(text: string): string[] {
    const words = toWords(text);
    const plain = words.map((w) => w.word).filter((w) => !STOP_WORDS.has(w));
    return [...new Set([...plain, ...this.analyzer.terms(words).map((t) => t.term)])];
  }
}

/** The heading, when it says enough on its own ("What is data drift?"); otherwise the whole title path. */
function labelOf(passage: SuggestionSource): string {
  const heading = passage.heading.split(' › ').at(-1) ?? '';
  const label = heading.split(' ').length >= 3 ? heading : passage.title;
  return shorten(label, MAX_LABEL_CHARS);
}
