import { citeSource } from '../knowledge/citation.js';
import type { KnowledgeBase, Passage, Source, Tip } from '../knowledge/schema.js';
import { detectComparison, isComparisonCue, orderRoles, type RolePair } from '../search/comparison.js';
import { ROLE_IDS, ROLE_LABELS, ROLE_TERMS, type RoleId } from '../search/lexicon.js';
import { findPlaces } from '../search/places.js';
import { PassageIndex, type CorpusStatistics, type PassageHit, type WeightedTerm } from '../search/passageIndex.js';
import type { CheckedWord } from '../search/spelling.js';
import { cleanQuestion, toWords, type Term, type Word } from '../search/terms.js';
import { wordingAgreement, WordingMatcher } from '../search/wording.js';
import { ANSWER_MODEL, CANDIDATES, channelConfidence, checkModel, decide, rank, type AnalysedTerm, type AnswerModel, type QuestionAnalysis, type Ranking } from './decision.js';
import { messageFeatures, withoutCode } from './messageSignals.js';
import { COMMITTED_BANK, NEIGHBOURS, QuestionBank, type Neighbour, type QuestionBankFile } from './questionBank.js';
import { askingSentences, isDomainWord, isSmallTalk, mentionsPhrase, namedJobs, questionWordWeight, rarity } from './questionSignals.js';
import { PassageView } from './passageView.js';
import { composeReply, replyText, type Citation, type ReplyPassage } from './replyText.js';
export { MAX_ANSWER_CHARS } from './replyText.js';
import { SuggestionIndex } from './suggestions.js';

/** A corrected typo counts for less than a word typed right. */
const CORRECTED_WEIGHT = 0.7;
/** How many of the best passages a question ranks exactly: the candidates and nearby topics come from them. */
const ANSWER_RESULTS = 30;
/** How many passages found for the asking sentences alone join the candidates. */
const ASKING_RESULTS = 5;
/** Reply texts and sentences whose terms are kept (the shared knowledge base's passages hold about 800 sentences). */
const REPLY_TEXTS_KEPT = 5_000;
/** A passage whose heading restates the question word for word weighs up to this much more (plus one): see boostRestatements. */
const RESTATEMENT_BOOST = 3;
/** A passage about both roles of a comparison weighs this much more; about one of them, 1.2 times. */
const COMPARISON_BOOST = 2;

export interface AnswerPassage extends ReplyPassage {
  /** The re-ranker's probability that this passage is the one that answers. */
  score: number;
}

export type DeclineReason = 'nothing-matched' | 'not-confident';

export interface Answer {
  /** The question as searched: cleaned and bounded. */
  question: string;
  answered: boolean;
  /** 0–1: the learned decision's probability that this answer is right (calibrated on labelled questions). */
  confidence: number;
  /** Why the engine declined, when it did. */
  declineReason?: DeclineReason;
  /** Content words of the question that nothing in the knowledge base matched: its gaps. */
  unmatchedTerms: string[];
  /** The question's words that the answer matched, as the member wrote them (after typo correction). */
  matchedTerms: string[];
  /** The question's words the answer did not match (known to the knowledge base or not). */
  missedTerms: string[];
  passages: AnswerPassage[];
  /** The whole reply: passages with their titles and sources, or the decline with nearby topics. */
  text: string;
  /** Up to 3 nearby topics, offered when declining. */
  suggestions: string[];
  comparison?: RolePair;
  corrections: { typed: string; corrected: string }[];
}

export interface RoleProfile {
  role: RoleId;
  label: string;
  aspects: { heading: string; text: string; passageId: string }[];
}

/**
 * A server's own knowledge, searched beside the shared knowledge base in that server only: its entries (each a
 * passage of its own: a title, the questions it answers as phrasings, its answer as text) and the phrasings
 * it taught shared passages.
 */
export interface ServerKnowledge {
  entries: readonly ServerEntry[];
  /** Phrasings taught to shared passages, by passage id (an entry's taught phrasings are among its questions). */
  taught: ReadonlyMap<string, readonly string[]>;
}

export interface ServerEntry {
  id: string;
  title: string;
  questions: readonly string[];
  text: string;
  /** What an answer from it cites: where it comes from, who last edited it, when. */
  source: string;
}

/**
 * A server's knowledge indexed for one engine (see Engine.serverIndex): a small index beside the shared one,
 * whose passages join the shared candidates before the learned re-ranker, so both rank as one.
 */
export interface ServerIndex {
  readonly engine: Engine;
}

/** Every method that answers takes an optional `server`: that server's own knowledge ranks with the shared. */
export interface Engine {
  answer(question: string, server?: ServerIndex): Answer;
  /**
   * Whether to answer a channel message unasked, and with what: what it asks (its code left out) weighed by the
   * channel model, which also reads how much the message is a question. Answered at `minConfidence` or above.
   */
  answerMessage(message: string, minConfidence: number, server?: ServerIndex): Answer;
  /** What the decision sees of a question, for training and diagnostics. */
  analyze(question: string, server?: ServerIndex): QuestionAnalysis;
  /** The best passages for a question, however weak the match, in the order the answer ranks them. */
  search(question: string, limit: number, server?: ServerIndex): AnswerPassage[];
  /** Up to 25 questions the knowledge base (and the server's entries) answers, for autocomplete. */
  suggest(prefix: string, server?: ServerIndex): string[];
  /** Indexes a server's own knowledge for this engine; build it again when it changes. */
  serverIndex(knowledge: ServerKnowledge): ServerIndex;
  passagesByTopic(topic: string): Passage[];
  passage(id: string): Passage | undefined;
  /** A role's Focus / Skills / Tools / Typical work, from its role-profile document. */
  roleProfile(role: RoleId): RoleProfile | undefined;
  /** The passages of the document comparing the two roles directly, if there is one. */
  comparisonPassages(a: RoleId, b: RoleId): Passage[];
  cite(sourceIds: readonly string[]): string;
  readonly model: AnswerModel;
  /** Does now what the first question would otherwise wait for: indexing the questions asked before. */
  prepare(): void;
  readonly knowledge: KnowledgeBase;
  readonly tips: readonly Tip[];
  readonly sources: readonly Source[];
}

export async function loadEngine(dir: string, model = ANSWER_MODEL): Promise<Engine> {
  // Loaded on demand: a saved index (see engineCache.ts) answers without parsing markdown and YAML at all.
  const { loadKnowledgeDirectory } = await import('../knowledge/loader.js');
  return createEngine(await loadKnowledgeDirectory(dir), undefined, model);
}

/** An engine over a validated knowledge base; `index` may be a saved one restored for the same knowledge. */
export function createEngine(
  knowledge: KnowledgeBase,
  index = PassageIndex.build(knowledge.passages),
  unchecked = ANSWER_MODEL,
  askedBefore: QuestionBankFile = COMMITTED_BANK,
): Engine {
  let bank: QuestionBank | undefined;
  /** Built on first use, from the questions asked before that speak of this knowledge base. */
  const questionBank = () => (bank ??= QuestionBank.ofKnowledge(askedBefore, (id) => passagesById().has(id)));
  let checked: AnswerModel | undefined;
  /** Checked on first use: analysing questions (as training does) needs no model. A knowledge base no question was asked of is weighed by the model fitted without them. */
  const model = () => (checked ??= withBank(checkModel(unchecked), questionBank().size > 0));
  const intentTerms = { salary: index.analyzer.termOf('salary')!, tool: index.analyzer.termOf('tool')! };
  let byId: Map<string, Passage> | undefined;
  /** Built on first use: answering goes by index position, and 100,000 ids take a while to hash. */
  const passagesById = () => (byId ??= new Map(knowledge.passages.map((p) => [p.id, p])));
  /** The passages in index order: the knowledge base's own order, as the index is built (or saved) from it. */
  const passageAt: readonly Passage[] = index.ids.every((id, i) => knowledge.passages[i]?.id === id)
    ? knowledge.passages
    : index.ids.map((id) => passagesById().get(id)!);
  if (index.size !== knowledge.passages.length || passageAt.some((p) => p === undefined)) {
    throw new Error('the search index was built for other passages than the knowledge base holds');
  }
  /** Each passage's roles as bits, so boosting a comparison costs a lookup per passage. */
  const roleBits = Uint8Array.from(passageAt, (p) => p.roles.reduce((bits, role) => bits | roleBit(role), 0));
  const sourcesById = new Map(knowledge.sources.map((s) => [s.id, s]));
  const citations = new Map<string, Citation[]>();
  /** Passages share a handful of source lists: each is formatted once. */
  const citationsOf = (ids: readonly string[]) => {
    const key = ids.join('\n');
    let cited = citations.get(key);
    if (cited === undefined) {
      cited = ids
        .map((id) => sourcesById.get(id))
        .filter((s): s is Source => s !== undefined)
        .map((s) => ({ text: citeSource(s), ...(s.url ? { url: s.url } : {}) }));
      if (citations.size < 10_000) citations.set(key, cited);
    }
    return cited;
  };
  let suggestions: SuggestionIndex | undefined;
  const sharedSuggestions = () => (suggestions ??= new SuggestionIndex(knowledge.passages, index.analyzer));
  /** What the decision reads of a passage, made on first use: most passages are never a candidate. */
  const passageViews: (PassageView | undefined)[] = new Array(passageAt.length);
  const topicTerms = new Map<string, string[]>();
  const documentOpenings = new Set(knowledge.documents.map((d) => d.passageIds[0]));
  const isRole = (phrase: string) => {
    const terms = index.analyzer.textTerms(phrase);
    return terms.length === 1 && ROLE_TERM_SET.has(terms[0]!);
  };
  let positions: Map<string, number> | undefined;
  const positionOf = (id: string) => (positions ??= new Map(passageAt.map((p, i) => [p.id, i]))).get(id);

  const makeView = (passage: Passage, opensDocument: boolean): PassageView => {
    const topic = passage.topic;
    if (!topicTerms.has(topic)) topicTerms.set(topic, index.analyzer.textTerms(topic.replace(/-/g, ' ')));
    return new PassageView(passage, index.analyzer, opensDocument, topicTerms.get(topic)!);
  };
  const sharedView = (i: number): PassageView => (passageViews[i] ??= makeView(passageAt[i]!, documentOpenings.has(passageAt[i]!.id)));

  const shared: Scope = {
    passage: (i) => passageAt[i]!,
    view: sharedView,
    sources: (i) => citationsOf(passageAt[i]!.sourceIds),
    search: (terms, limit, comparison) => index.search(terms, { limit, ...comparisonBoost(comparison) }),
    has: (term) => index.has(term),
    documentFrequency: (term) => index.documentFrequency(term),
    idf: (term) => index.idf(term),
    correct: (words) => index.spelling.correct(words),
    isKnown: (word) => index.spelling.isKnown(word),
    suggestions: () => undefined,
    neighbours: (terms) => questionBank().nearest(terms),
    isEntry: () => false,
  };
  const scopes = new WeakMap<ServerIndex, Scope>();
  const scopeOf = (server: ServerIndex | undefined): Scope => {
    if (!server) return shared;
    const scope = scopes.get(server);
    if (!scope) throw new Error('this server index was built for another engine (the knowledge base was reloaded): build it again');
    return scope;
  };

  /**
   * A server's entries and taught phrasings in a small index of their own, searched beside the shared one with
   * both indexes' statistics, so that scores compare; hits from both are merged before the re-ranker. The
   * shared index is never rebuilt: a shared passage taught phrasings here is, in this server, a copy of it
   * with them among its phrasings, found in the small index instead.
   */
  function serverScope(server: ServerKnowledge): Scope {
    const n = passageAt.length;
    const entries = server.entries.map((entry): Passage => ({
      id: entry.id,
      documentId: entry.id,
      title: entry.title,
      documentTitle: '',
      heading: entry.title,
      topic: '',
      roles: [],
      sourceIds: [],
      text: entry.text,
      phrasings: [...entry.questions, ...(server.taught.get(entry.id) ?? [])],
      file: '',
      line: 0,
    }));
    const copies = new Map<number, Passage>();
    for (const [id, phrasings] of server.taught) {
      const i = positionOf(id);
      if (i !== undefined) copies.set(i, { ...passageAt[i]!, phrasings: [...passageAt[i]!.phrasings, ...phrasings] });
    }
    /** Where each passage of the small index stands among all: entries after the shared passages, copies in their place. */
    const placeOf = [...entries.map((_, j) => n + j), ...copies.keys()];
    const own = PassageIndex.build([...entries, ...copies.values()], index.analyzer, { fewWords: true });
    const beside: { shared: CorpusStatistics; own: CorpusStatistics } = { shared: index.statistics(), own: own.statistics() };
    // Views last as long as the server's index, as the shared ones do: each is made part by part, and only for
    // the entries questions come near, so a view made and let go on every question costs no collection work.
    const entryViews = new Array<PassageView | undefined>(entries.length);
    const copyViews = new Map<number, PassageView>();
    let ownSuggestions: SuggestionIndex | undefined;
    let ownBank: QuestionBank | undefined;
    // The questions a server's entries list and the ones it taught are questions asked there before, read as
    // a question put here is.
    const askedHere = () => {
      const termsOf = (question: string) => readQuestion(question, scope).terms.map((t) => t.term);
      return (ownBank ??= QuestionBank.of([
        ...server.entries.flatMap((entry) => entry.questions.map((q) => ({ terms: termsOf(q), passages: [entry.id] }))),
        ...[...server.taught].flatMap(([id, phrasings]) => phrasings.map((q) => ({ terms: termsOf(q), passages: [id] }))),
      ]));
    };
    const documentFrequency = (term: string) => index.documentFrequency(term) + own.documentFrequency(term);
    const passage = (i: number) => (i >= n ? entries[i - n]! : (copies.get(i) ?? passageAt[i]!));
    const scope: Scope = {
      passage,
      view(i) {
        if (i >= n) return (entryViews[i - n] ??= makeView(entries[i - n]!, true));
        const copy = copies.get(i);
        if (!copy) return sharedView(i);
        let found = copyViews.get(i);
        if (!found) copyViews.set(i, (found = makeView(copy, documentOpenings.has(passageAt[i]!.id))));
        return found;
      },
      sources: (i) => (i >= n ? [{ text: server.entries[i - n]!.source }] : citationsOf(passageAt[i]!.sourceIds)),
      search(terms, limit, comparison) {
        const { boostPassage, maxBoost } = comparisonBoost(comparison);
        const fromShared = index.search(terms, { limit, boostPassage, maxBoost, beside: beside.own }).filter((hit) => !copies.has(hit.index));
        const ownBoost = boostPassage && ((k: number) => (placeOf[k]! < n ? boostPassage(placeOf[k]!) : 1));
        const fromServer = own
          .search(terms, { limit, boostPassage: ownBoost, maxBoost, beside: beside.shared })
          .map((hit) => ({ ...hit, index: placeOf[hit.index]! }));
        return sortHits([...fromShared, ...fromServer]).slice(0, limit);
      },
      has: (term) => index.has(term) || own.has(term),
      documentFrequency,
      idf(term) {
        const df = documentFrequency(term);
        return Math.log(1 + (n + own.size - df + 0.5) / (df + 0.5));
      },
      correct: (words) => index.spelling.correct(words, own.spelling),
      isKnown: (word) => index.spelling.isKnown(word) || own.spelling.isKnown(word),
      suggestions: () => (ownSuggestions ??= new SuggestionIndex(entries, index.analyzer)),
      neighbours(terms) {
        const own = askedHere().nearest(terms).map((n) => ({ ...n, here: true }));
        return [...questionBank().nearest(terms), ...own].sort((a, b) => b.similarity - a.similarity).slice(0, NEIGHBOURS);
      },
      isEntry: (i) => i >= n,
    };
    return scope;
  }

  // The same passages' texts and sentences come back in reply after reply: their terms are read once.
  const replyTerms = new Map<string, string[]>();
  const termsOfReplyText = (text: string): string[] => {
    let terms = replyTerms.get(text);
    if (!terms) {
      if (replyTerms.size >= REPLY_TEXTS_KEPT) replyTerms.clear();
      terms = index.analyzer.textTerms(text);
      replyTerms.set(text, terms);
    }
    return terms;
  };

  const toAnswerPassage = (scope: Scope, i: number, score: number): AnswerPassage => {
    const passage = scope.passage(i);
    return { id: passage.id, title: passage.title, sources: scope.sources(i), text: passage.text, score: Math.round(score * 100) / 100 };
  };

  /** What a question asks, as terms: cleaned, typos corrected, phrases, synonyms and intents read. */
  function readQuestion(rawQuestion: string, scope: Scope) {
    const question = cleanQuestion(rawQuestion);
    const checked = scope.correct(toWords(question));
    const allTerms = withIntent(dedupe(index.analyzer.terms(checked)), checked.map((w) => w.word), intentTerms);
    const comparison = detectComparison(checked, allTerms);
    // A comparison's cue words ("better", "difference") are answered by the comparison itself.
    const terms = comparison ? allTerms.filter((t) => !isComparisonCue(t.surface.toLowerCase())) : allTerms;
    return { question, checked, terms, comparison };
  }

  /** The question's terms and the passages retrieved for it, ranked by words alone. */
  function retrieve(rawQuestion: string, scope: Scope) {
    const { question, checked, terms, comparison } = readQuestion(rawQuestion, scope);
    const corrections = checked.filter((w) => w.typed).map((w) => ({ typed: w.typed!, corrected: w.word }));
    const correctedSurfaces = new Set(corrections.map((c) => c.corrected));

    const askingWords = new Set(toWords(askingSentences(question)).map((w) => w.word));
    const askingSurfaces = new Set(checked.filter((w) => askingWords.has(w.typed ?? w.word)).map((w) => w.word));
    const asks = (t: Term) => t.surface.toLowerCase().split(/\s+/).some((w) => askingSurfaces.has(w));
    const search = (searched: Term[], limit: number) => {
      const queryTerms: WeightedTerm[] = searched
        .filter((t) => scope.has(t.term))
        .map((t) => ({ term: t.term, weight: correctedSurfaces.has(t.surface) ? CORRECTED_WEIGHT : 1 }));
      if (comparison) queryTerms.push({ term: 'differ', weight: 0.5 });
      queryTerms.sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
      return queryTerms.length ? scope.search(queryTerms, limit, comparison) : [];
    };
    const hits = search(terms, ANSWER_RESULTS);
    // A question after a backstory is also searched alone: the story's words must not drown what it asks.
    const askingTerms = terms.filter(asks);
    const askingHits = askingTerms.length > 0 && askingTerms.length < terms.length ? search(askingTerms, ASKING_RESULTS) : hits.slice(0, ASKING_RESULTS);
    const phrasing = index.analyzer.phrasing(checked);
    const bm25 = new Map(hits.map((h) => [h.index, h.score]));
    const askingBm25 = new Map(askingHits.map((h) => [h.index, h.score]));
    // A comparison is ranked by its roles, which it may name in either order.
    const results = sortHits(comparison ? hits : boostRestatements(hits, phrasing, scope)).slice(0, CANDIDATES);
    for (const hit of askingHits) if (!results.some((r) => r.index === hit.index)) results.push(hit);
    return { question, words: checked, askingSurfaces, terms, asks, corrections, comparison, results, phrasing, bm25, askingBm25, scope };
  }

  function analyzeRetrieved(retrieved: ReturnType<typeof retrieve>): QuestionAnalysis {
    const { words, askingSurfaces, terms, asks, comparison, results, phrasing, bm25, askingBm25, scope } = retrieved;
    const comparisonRoles = new Set(comparison?.map((role) => ROLE_TERMS[role]));
    const salaryAsked = terms.some((t) => t.term === intentTerms.salary);
    const named = findPlaces(words);
    // Outside a pay question, where a member is ("I'm in the UK") is context, not the subject, and a place in
    // the backstory is not one the answer must be about.
    const contextPlaces = salaryAsked ? new Set<string>() : new Set(named);
    const places = salaryAsked ? named : named.filter((place) => place.split(' ').every((w) => askingSurfaces.has(w)));
    const analysedTerms: AnalysedTerm[] = terms.map((t) => {
      const known = scope.documentFrequency(t.term) > 0;
      const surface = t.surface.toLowerCase();
      return {
        term: t.term,
        surface: t.surface,
        // The two roles of a comparison are its subject: they weigh the most a word can.
        weight: comparisonRoles.has(t.term) ? scope.idf('') : questionWordWeight(t.surface, known ? scope.idf(t.term) : undefined, scope.idf(''), contextPlaces.has(surface)),
        known,
        domain: ROLE_TERM_SET.has(t.term) || isDomainWord(t.surface),
        asking: asks(t),
        rarity: rarity(t.surface),
      };
    });
    const namedRoles = ROLE_IDS.filter((role) => terms.some((t) => t.term === ROLE_TERMS[role]));
    const otherJobs = namedJobs(words, { isRole, isKnown: scope.isKnown });
    const questionTerms = new Set(terms.map((t) => t.term));
    const questionTermList = [...questionTerms];
    // Weighed once for the twenty candidates' phrasings.
    const questionIdf = questionTermList.map((t) => scope.idf(t));
    // How much of the question's and a phrasing's content words the two share (0–1): Dice, each term weighing its idf.
    const phrasingOverlap = (phrasing: ReadonlySet<string>) => {
      let shared = 0;
      let total = 0;
      for (let i = 0; i < questionTermList.length; i++) {
        total += questionIdf[i]!;
        if (phrasing.has(questionTermList[i]!)) shared += 2 * questionIdf[i]!;
      }
      for (const t of phrasing) total += scope.idf(t);
      return total > 0 ? shared / total : 0;
    };
    // A comparison names its roles in either order: its wording is compared both ways.
    const wordings = comparison ? [phrasing, swapRoles(phrasing, comparison)] : [phrasing];
    const wording = new WordingMatcher(wordings);
    const termList = terms.map((t) => t.term);
    const wordsAnswered = questionBank().wordsAnsweredBy(termList, results.map((hit) => hit.id));
    const candidates = results.map((hit, k) => {
      const passage = scope.view(hit.index);
      const { documentId, roles, text, title } = scope.passage(hit.index);
      const mentioned = (phrases: string[]) => (phrases.length ? phrases.filter((p) => mentionsPhrase(passage.words.words, p, passage.words.bigrams)).length / phrases.length : 1);
      const inHeading = new Set<string>();
      for (const t of questionTermList) if (passage.headingTerms.has(t)) inHeading.add(t);
      let bestOverlap = 0;
      for (const p of passage.phrasingTerms) bestOverlap = Math.max(bestOverlap, phrasingOverlap(p));
      return {
        index: hit.index,
        id: hit.id,
        bm25: bm25.get(hit.index) ?? 0,
        askingBm25: askingBm25.get(hit.index) ?? 0,
        matched: new Set(hit.queryTerms),
        inHeading,
        headingPrecision: share(passage.ownHeadingTerms, (t) => questionTerms.has(t), scope.idf),
        documentId,
        opensDocument: passage.opensDocument,
        restatement: wording.best([passage.heading]),
        phrasing: wording.best(passage.phrasings),
        phrasingOverlap: bestOverlap,
        roles,
        topicAsked: passage.topicTerms.some((t) => questionTerms.has(t)),
        jobsMentioned: mentioned(otherJobs),
        placesMentioned: mentioned(places),
        replySize: text.length + title.length,
        serverEntry: scope.isEntry(hit.index),
        wordsAnswered: wordsAnswered[k]!,
        textTerms: () => passage.textTerms,
      };
    });
    return {
      terms: analysedTerms,
      namedRoles,
      ...(comparison ? { comparison } : {}),
      otherJobs,
      places,
      salaryAsked,
      smallTalk: isSmallTalk(retrieved.question),
      neighbours: scope.neighbours(termList),
      wordsCovered: questionBank().wordsCovered(termList),
      candidates,
    };
  }

  /**
   * The answer to a question; `confident` turns the decision's probability into the confidence members see
   * and says whether it is enough (for /ask the model's threshold, in channels the channel model and the
   * server's line).
   */
  function answer(rawQuestion: string, scope: Scope, confident = (p: number) => ({ confidence: p, answer: p >= model().decision.threshold })): Answer {
    const retrieved = retrieve(rawQuestion, scope);
    const analysis = analyzeRetrieved(retrieved);
    const { question, terms, corrections, comparison } = retrieved;
    const { ranking, shown, probability: decided } = decide(analysis, model());
    const { confidence, answer: enough } = confident(decided);
    const answeredTerms = new Set(shown.flatMap((i) => [...analysis.candidates[i]!.matched]));
    const base = {
      question,
      confidence: Math.round(confidence * 100) / 100,
      matchedTerms: terms.filter((t) => answeredTerms.has(t.term)).map((t) => t.surface),
      missedTerms: terms.filter((t) => !answeredTerms.has(t.term)).map((t) => t.surface),
      unmatchedTerms: analysis.terms.filter((t) => !t.known).map((t) => t.surface.toLowerCase()),
      corrections,
      ...(comparison ? { comparison } : {}),
    };
    if (!enough || shown.length === 0) {
      const nearby = analysis.smallTalk ? [] : nearbyTopics(analysis, ranking, scope);
      const declineReason = shown.length ? 'not-confident' : 'nothing-matched';
      return { ...base, answered: false, declineReason, passages: [], text: declineText(question, nearby), suggestions: nearby };
    }
    const passages = composeReply(
      shown.map((i) => toAnswerPassage(scope, analysis.candidates[i]!.index, ranking.probabilities[i]!)),
      termsOfReplyText,
    );
    return { ...base, answered: true, passages, text: replyText(passages), suggestions: [] };
  }

  /**
   * A passage whose heading restates the question weighs up to 1 + RESTATEMENT_BOOST times more: word scores
   * alone cannot tell the section asking the question from one reusing its words, and a knowledge base grown
   * from many members' notes has many of those. This only orders retrieval; the re-ranker weighs it again.
   */
  function boostRestatements(hits: PassageHit[], question: string[], scope: Scope): PassageHit[] {
    return hits.map((hit) => ({ ...hit, score: hit.score * (1 + RESTATEMENT_BOOST * wordingAgreement(question, scope.view(hit.index).heading) ** 2) }));
  }

  function comparisonBoost(pair: RolePair | undefined): { boostPassage?: (index: number) => number; maxBoost?: number } {
    if (!pair) return {};
    const both = roleBit(pair[0]) | roleBit(pair[1]);
    return {
      boostPassage: (i) => {
        const shared = roleBits[i]! & both;
        return shared === both ? COMPARISON_BOOST : shared ? 1.2 : 1;
      },
      maxBoost: COMPARISON_BOOST,
    };
  }

  function nearbyTopics(analysis: QuestionAnalysis, ranking: Ranking, scope: Scope): string[] {
    const titles: string[] = [];
    for (const i of ranking.order) {
      const title = scope.passage(analysis.candidates[i]!.index).title;
      if (!titles.includes(title)) titles.push(title);
      if (titles.length === 3) break;
    }
    return titles;
  }

  function roleProfile(role: RoleId): RoleProfile | undefined {
    const passages = knowledge.passages.filter((p) => p.topic === 'role-profile' && p.roles.length === 1 && p.roles[0] === role);
    if (passages.length === 0) return undefined;
    return {
      role,
      label: ROLE_LABELS[role],
      aspects: passages.map((p) => ({ heading: p.heading || p.documentTitle, text: p.text, passageId: p.id })),
    };
  }

  const engine: Engine = {
    answer: (question, server) => answer(question, scopeOf(server)),
    answerMessage(message, minConfidence, server) {
      return answer(withoutCode(message), scopeOf(server), (p) => {
        // Right to answer unasked: the answer is right, and the message is a question put to the channel (decision.ts).
        const confidence = channelConfidence(model().channel, p, messageFeatures(message, model().channel.words));
        return { confidence, answer: confidence >= minConfidence };
      });
    },
    analyze: (question, server) => analyzeRetrieved(retrieve(question, scopeOf(server))),
    search(question, limit, server) {
      const scope = scopeOf(server);
      const analysis = analyzeRetrieved(retrieve(question, scope));
      const ranking = rank(analysis, model().ranker);
      return ranking.order
        .slice(0, Math.max(1, limit))
        .map((i) => toAnswerPassage(scope, analysis.candidates[i]!.index, ranking.probabilities[i]!));
    },
    suggest: (prefix, server) => sharedSuggestions().suggest(cleanQuestion(prefix, 100), scopeOf(server).suggestions()),
    serverIndex(serverKnowledge) {
      const server: ServerIndex = { engine };
      scopes.set(server, serverScope(serverKnowledge));
      return server;
    },
    passagesByTopic: (topic) => knowledge.passages.filter((p) => p.topic === topic),
    passage: (id) => passagesById().get(id),
    roleProfile,
    comparisonPassages(a, b) {
      const pair = orderRoles(a, b);
      return knowledge.passages.filter((p) => p.topic === 'comparison' && pair.every((role) => p.roles.includes(role)));
    },
    cite: (ids) => citationsOf(ids).map((c) => c.text).join('; '),
    get model() {
      return model();
    },
    prepare: () => void model(),
    knowledge,
    tips: knowledge.tips,
    sources: knowledge.sources,
  };
  return engine;
}

/** Where a question is answered: the shared knowledge base alone, or with a server's own knowledge beside it. */
interface Scope {
  /** The passage at a candidate position: the shared index's positions, then a server's entries. */
  passage(i: number): Passage;
  view(i: number): PassageView;
  sources(i: number): Citation[];
  search(terms: readonly WeightedTerm[], limit: number, comparison: RolePair | undefined): PassageHit[];
  has(term: string): boolean;
  /** Passages whose shown fields hold the term, and its BM25 idf over all the scope's passages. */
  documentFrequency(term: string): number;
  idf(term: string): number;
  correct(words: readonly Word[]): CheckedWord[];
  isKnown(word: string): boolean;
  /** Autocomplete over a server's entries, ranked beside the shared questions. */
  suggestions(): SuggestionIndex | undefined;
  /** The questions asked before most like these terms (the server's own among them). */
  neighbours(terms: readonly string[]): Neighbour[];
  /** Whether the passage at a candidate position is one of the server's entries. */
  isEntry(i: number): boolean;
}


function withBank(model: AnswerModel, hasQuestionsAskedBefore: boolean): AnswerModel {
  return hasQuestionsAskedBefore ? model : { ...model, ...model.withoutAskedQuestions };
}

const roleBit = (role: RoleId) => 1 << ROLE_IDS.indexOf(role);
const ROLE_TERM_SET = new Set(Object.values(ROLE_TERMS));

/** Ties are broken by id, so equal questions always give equal answers (by code unit: no collator to load). */
function sortHits(results: PassageHit[]): PassageHit[] {
  return results.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

function swapRoles(phrasing: readonly string[], [a, b]: RolePair): string[] {
  const swap = new Map([
    [ROLE_TERMS[a], ROLE_TERMS[b]],
    [ROLE_TERMS[b], ROLE_TERMS[a]],
  ]);
  return phrasing.map((unit) => swap.get(unit) ?? unit);
}

function share<T>(items: readonly T[], test: (item: T) => boolean, weight: (item: T) => number): number {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  return total > 0 ? items.filter(test).reduce((sum, item) => sum + weight(item), 0) / total : 0;
}

function dedupe(terms: Term[]): Term[] {
  const seen = new Set<string>();
  return terms.filter((t) => !seen.has(t.term) && seen.add(t.term));
}

/** "How much do they make / get paid" asks for a salary without naming it, "what do they use for" for tools. */
function withIntent(terms: Term[], words: string[], intent: { salary: string; tool: string }): Term[] {
  const text = ` ${words.join(' ')} `;
  if (/ how much .*\b(make|makes|making|get|gets|take home)\b/.test(text) && !terms.some((t) => t.term === intent.salary)) {
    return [...terms.filter((t) => t.term !== 'make'), { term: intent.salary, surface: 'how much … make' }];
  }
  if (/ what (do|does|should|would|can|could) .*\buse (for|to|when|in)\b/.test(text) && !terms.some((t) => t.term === intent.tool)) {
    return [...terms, { term: intent.tool, surface: 'what … use' }];
  }
  return terms;
}

function declineText(question: string, nearby: string[]): string {
  const intro = question
    ? 'That is not covered in this knowledge base, so I would rather not guess.'
    : 'Ask me a question about machine-learning careers, for example "ML engineer vs data scientist?".';
  if (!question || nearby.length === 0) return intro;
  return `${intro}\nNearby topics:\n${nearby.map((t) => `• ${t}`).join('\n')}`;
}
