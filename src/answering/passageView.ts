import type { Passage } from '../knowledge/schema.js';
import { toWords, type TermAnalyzer } from '../search/terms.js';
import { wordSets } from './questionSignals.js';

/**
 * What the engine reads of a passage, each part made on first use and kept: a question's thirty hits are
 * weighed by their heading alone, only its twenty candidates need the rest, and only the passages a reply
 * may show need the terms of their text. A server's entries are read this way too, so a view made for a
 * hit costs little when it is let go.
 */
export class PassageView {
  private madeHeading?: string[];
  private madePhrasings?: string[][];
  private madePhrasingTerms?: Set<string>[];
  private madeHeadingTerms?: Set<string>;
  private madeOwnHeadingTerms?: string[];
  private madeTextTerms?: Set<string>;
  private madeWords?: { words: Set<string>; bigrams: Set<string> };

  constructor(
    private readonly passage: Passage,
    private readonly analyzer: TermAnalyzer,
    readonly opensDocument: boolean,
    /** The terms of its topic ("salary", "tools"), shared by the passages of a topic. */
    readonly topicTerms: readonly string[],
  ) {}

  /** The last level of its heading (its document's title when it has none), as a wording. */
  get heading(): string[] {
    return (this.madeHeading ??= this.analyzer.phrasing(toWords(this.ownHeading())));
  }

  /** Its phrasings (the questions it answers, as members word them), as wordings. */
  get phrasings(): string[][] {
    return (this.madePhrasings ??= this.passage.phrasings.map((p) => this.analyzer.phrasing(toWords(p))));
  }

  get phrasingTerms(): Set<string>[] {
    return (this.madePhrasingTerms ??= this.passage.phrasings.map((p) => new Set(this.analyzer.textTerms(p))));
  }

  /** The terms of its whole heading and of its document's title. */
  get headingTerms(): Set<string> {
    return (this.madeHeadingTerms ??= new Set(this.analyzer.textTerms(`${this.passage.heading} ${this.passage.documentTitle}`)));
  }

  get ownHeadingTerms(): string[] {
    return (this.madeOwnHeadingTerms ??= [...new Set(this.analyzer.textTerms(this.ownHeading()))]);
  }

  get textTerms(): Set<string> {
    return (this.madeTextTerms ??= new Set(this.analyzer.textTerms(this.passage.text)));
  }

  /** Its title's and text's words and word pairs, for the jobs and places a question names. */
  get words(): { words: Set<string>; bigrams: Set<string> } {
    return (this.madeWords ??= wordSets(`${this.passage.title}\n${this.passage.text}`));
  }

  private ownHeading(): string {
    return this.passage.heading ? this.passage.heading.split(' › ').at(-1)! : this.passage.documentTitle;
  }
}
