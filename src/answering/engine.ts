import { citeSource } from '../knowledge/citation.js';
import type { KnowledgeBase, Passage, Source, Tip } from '../knowledge/schema.js';
import { detectComparison, isComparisonCue, orderRoles, type RolePair } from '../search/comparison.js';
import { ROLE_IDS, ROLE_LABELS, ROLE_TERMS, type RoleId } from '../search/lexicon.js';
import { findPlaces } from '../search/places.js';
import { PassageIndex, type PassageHit, type WeightedTerm } from '../search/passageIndex.js';
import { cleanQuestion, toWords, type Term } from '../search/terms.js';
import { wordingAgreement } from '../search/wording.js';
import { assessConfidence, isDomainWord, isSmallTalk, namesUnknownOccupation, questionWordWeight, type DeclineReason } from './confidence.js';
import { SuggestionIndex } from './suggestions.js';
import { truncateAtSentence } from './truncate.js';

/** The whole reply a member reads stays under this, leaving room in a 2,000-character Discord message. */
export const MAX_ANSWER_CHARS = 1800;
const MAX_PASSAGES = 3;
/** Passages scoring at least this share of the best may join an answer when they answer more of the question… */
const CANDIDATE_SHARE = 0.35;
/** …and those scoring this close to the best may join it anyway. */
const RELATED_SHARE = 0.6;
/** A corrected typo counts for less than a word typed right. */
const CORRECTED_WEIGHT = 0.7;
/** How many of the best passages a question ranks exactly: the answer, its runners-up and nearby topics. */
const ANSWER_RESULTS = 30;
/** A passage whose heading restates the question word for word weighs up to this much more (plus one): see boostRestatements. */
const RESTATEMENT_BOOST = 3;
/** A passage about both roles of a comparison weighs this much more; about one of them, 1.2 times. */
const COMPARISON_BOOST = 2;

export interface AnswerPassage {
  id: string;
  title: string;
  source: string;
  text: string;
  score: number;
}

export interface Answer {
  /** The question as searched: cleaned and bounded. */
  question: string;
  answered: boolean;
  /** 0–1: the weighted share of the question's content words the best passage matches. */
  confidence: number;
  /** Why the engine declined, when it did. */
  declineReason?: DeclineReason;
  /** Content words of the question that nothing in the knowledge base matched: its gaps. */
  unmatchedTerms: string[];
  /** The question's words that the answer matched, as the member wrote them (after typo correction). */
  matchedTerms: string[];
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

export interface Engine {
  answer(question: string): Answer;
  /** The best passages for a question, however weak the match: for evaluation and diagnostics. */
  search(question: string, limit: number): AnswerPassage[];
  /** Up to 25 questions the knowledge base answers, for autocomplete. */
  suggest(prefix: string): string[];
  passagesByTopic(topic: string): Passage[];
  passage(id: string): Passage | undefined;
  /** A role's Focus / Skills / Tools / Typical work, from its role-profile document. */
  roleProfile(role: RoleId): RoleProfile | undefined;
  /** The passages of the document comparing the two roles directly, if there is one. */
  comparisonPassages(a: RoleId, b: RoleId): Passage[];
  cite(sourceIds: readonly string[]): string;
  readonly knowledge: KnowledgeBase;
  readonly tips: readonly Tip[];
  readonly sources: readonly Source[];
}

export async function loadEngine(dir: string): Promise<Engine> {
  // Loaded on demand: a saved index (see engineCache.ts) answers without parsing markdown and YAML at all.
  const { loadKnowledgeDirectory } = await import('../knowledge/loader.js');
  return createEngine(await loadKnowledgeDirectory(dir));
}

/** An engine over a validated knowledge base; `index` may be a saved one restored for the same knowledge. */
export function createEngine(knowledge: KnowledgeBase, index = PassageIndex.build(knowledge.passages)): Engine {
  const salaryTerm = index.analyzer.termOf('salary')!;
  const intentTerms = { salary: salaryTerm, tool: index.analyzer.termOf('tool')! };
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
  const citations = new Map<string, string>();
  /** Passages share a handful of source lists: each is formatted once (dates go through Intl, which is slow). */
  const cite = (ids: readonly string[]) => {
    const key = ids.join('\n');
    let citation = citations.get(key);
    if (citation === undefined) {
      citation = ids.map((id) => sourcesById.get(id)).filter((s): s is Source => s !== undefined).map(citeSource).join('; ');
      if (citations.size < 10_000) citations.set(key, citation);
    }
    return citation;
  };
  let suggestions: SuggestionIndex | undefined;
  const headingPhrasings: (string[] | undefined)[] = new Array(passageAt.length);

  const toAnswerPassage = (passage: Passage, score: number): AnswerPassage => ({
    id: passage.id,
    title: passage.title,
    source: cite(passage.sourceIds),
    text: passage.text,
    score: Math.round(score * 100) / 100,
  });

  /** Everything answering needs to know about a question: its terms, the ranked passages, the coverage. */
  function retrieve(rawQuestion: string, limit = ANSWER_RESULTS) {
    const question = cleanQuestion(rawQuestion);
    const checked = index.spelling.correct(toWords(question));
    const allTerms = withIntent(dedupe(index.analyzer.terms(checked)), checked.map((w) => w.word), intentTerms);
    const corrections = checked.filter((w) => w.typed).map((w) => ({ typed: w.typed!, corrected: w.word }));
    const correctedSurfaces = new Set(corrections.map((c) => c.corrected));
    const comparison = detectComparison(checked, allTerms);
    // A comparison's cue words ("better", "difference") are answered by the comparison itself.
    const terms = comparison ? allTerms.filter((t) => !isComparisonCue(t.surface.toLowerCase())) : allTerms;

    const queryTerms: WeightedTerm[] = terms
      .filter((t) => index.documentFrequency(t.term) > 0)
      .map((t) => ({ term: t.term, weight: correctedSurfaces.has(t.surface) ? CORRECTED_WEIGHT : 1 }));
    if (comparison) queryTerms.push({ term: 'differ', weight: 0.5 });
    queryTerms.sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    // The best ANSWER_RESULTS are re-ranked however few are wanted, so search and answer always agree.
    const hits = queryTerms.length ? index.search(queryTerms, { limit: Math.max(limit, ANSWER_RESULTS), ...comparisonBoost(comparison) }) : [];
    // A comparison is ranked by its roles, which it may name in either order.
    const results = rank(comparison ? hits : boostRestatements(hits, index.analyzer.phrasing(checked))).slice(0, limit);
    return { question, words: checked, terms, corrections, comparison, results };
  }

  function answer(rawQuestion: string): Answer {
    const { question, words, terms, corrections, comparison, results } = retrieve(rawQuestion);
    const known = (t: Term) => index.documentFrequency(t.term) > 0;
    const comparisonRoles = new Set(comparison?.map((role) => ROLE_TERMS[role]));
    const salaryQuestion = terms.some((t) => t.term === salaryTerm);
    const places = findPlaces(words);
    // Outside a pay question, where a member is ("I'm in the UK") is context, not the subject.
    const contextPlaces = salaryQuestion ? new Set<string>() : new Set(places);
    const weights = new Map(
      terms.map((t) => [
        t.term,
        // The two roles of a comparison are its subject: they weigh the most a word can.
        comparisonRoles.has(t.term)
          ? index.idf('')
          : questionWordWeight(t.surface, known(t) ? index.idf(t.term) : undefined, index.idf(''), contextPlaces.has(t.surface.toLowerCase())),
      ]),
    );
    const chosen = chooseAnswerPassages(results, comparison, weights);
    const matched = new Set(chosen[0]?.queryTerms ?? []);
    const answered = new Set(chosen.flatMap((r) => r.queryTerms));
    const { confidence, declineReason } = assessConfidence({
      terms: terms.map((t) => ({
        weight: weights.get(t.term)!,
        matchedByBest: matched.has(t.term),
        matchedByAnswer: answered.has(t.term),
        domain: isOtherRole(t.term) || t.term === ROLE_TERMS['ml-engineer'] || isDomainWord(t.surface),
      })),
      otherSubject: terms.some((t) => isOtherRole(t.term) && !matched.has(t.term)) || namesUnknownOccupation(words, (w) => index.spelling.isKnown(w)),
      placeUnknown: salaryQuestion && places.some((place) => !place.split(' ').every((w) => index.spelling.isKnown(w))),
      smallTalk: isSmallTalk(question),
    });
    const base = {
      question,
      confidence,
      matchedTerms: terms.filter((t) => answered.has(t.term)).map((t) => t.surface),
      unmatchedTerms: terms.filter((t) => !known(t)).map((t) => t.surface.toLowerCase()),
      corrections,
      ...(comparison ? { comparison } : {}),
    };

    if (declineReason) {
      const nearby = declineReason === 'small-talk' ? [] : nearbyTopics(results);
      return { ...base, answered: false, declineReason, passages: [], text: declineText(question, nearby), suggestions: nearby };
    }
    const passages = chosen.map((r) => toAnswerPassage(passageAt[r.index]!, r.score));
    return { ...base, answered: true, passages, text: answerText(passages), suggestions: [] };
  }

  /**
   * A passage whose heading restates the question weighs up to 1 + RESTATEMENT_BOOST times more: word scores
   * alone cannot tell the section asking the question from one reusing its words ("Do ML engineer role come
   * about?"), and a knowledge base grown from many members' notes has many of those.
   */
  function boostRestatements(hits: PassageHit[], question: string[]): PassageHit[] {
    for (const hit of hits) {
      hit.score *= 1 + RESTATEMENT_BOOST * wordingAgreement(question, headingPhrasing(hit.index)) ** 2;
    }
    return hits;
  }

  /** A passage's own heading (its document's title for an introduction) as a phrasing, made on first use. */
  function headingPhrasing(i: number): string[] {
    let phrasing = headingPhrasings[i];
    if (phrasing === undefined) {
      const passage = passageAt[i]!;
      const heading = passage.heading ? passage.heading.split(' › ').at(-1)! : passage.documentTitle;
      phrasing = headingPhrasings[i] = index.analyzer.phrasing(toWords(heading));
    }
    return phrasing;
  }

  /** Ties are broken by id, so equal questions always give equal answers (by code unit: no collator to load). */
  function rank(results: PassageHit[]): PassageHit[] {
    return results.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
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

  /**
   * The best passage, then up to two more among the close runners-up: each time the one that answers the most
   * of what the chosen ones leave unanswered (by weight), or failing that one scoring almost as well as the best.
   * A comparison keeps to the passages about both roles.
   */
  function chooseAnswerPassages(results: PassageHit[], pair: RolePair | undefined, weights: Map<string, number>): PassageHit[] {
    const [top, ...rest] = results;
    if (!top) return [];
    const chosen = [top];
    const covered = new Set(top.queryTerms);
    let length = passageAt[top.index]!.text.length;
    const candidates = rest.slice(0, 10).filter((r) => {
      const roles = passageAt[r.index]!.roles;
      return r.score >= top.score * CANDIDATE_SHARE && (!pair || pair.every((role) => roles.includes(role)));
    });
    while (chosen.length < MAX_PASSAGES) {
      let best: { result: PassageHit; gain: number } | undefined;
      for (const result of candidates) {
        const passage = passageAt[result.index]!;
        if (chosen.includes(result) || length + passage.text.length + passage.title.length > MAX_ANSWER_CHARS - 200) continue;
        const gain = result.queryTerms.filter((t: string) => !covered.has(t)).reduce((sum: number, t: string) => sum + (weights.get(t) ?? 0), 0);
        if (gain === 0 && result.score < top.score * RELATED_SHARE) continue;
        if (!best || gain > best.gain) best = { result, gain };
      }
      if (!best) break;
      chosen.push(best.result);
      best.result.queryTerms.forEach((t: string) => covered.add(t));
      length += passageAt[best.result.index]!.text.length + passageAt[best.result.index]!.title.length;
    }
    return chosen;
  }

  function nearbyTopics(results: PassageHit[]): string[] {
    const titles: string[] = [];
    for (const result of results) {
      const title = passageAt[result.index]!.title;
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

  return {
    answer,
    search: (question, limit) =>
      retrieve(question, Math.max(1, limit)).results.slice(0, limit).map((r) => toAnswerPassage(passageAt[r.index]!, r.score)),
    suggest(prefix) {
      suggestions ??= new SuggestionIndex(knowledge.passages, index.analyzer);
      return suggestions.suggest(cleanQuestion(prefix, 100));
    },
    passagesByTopic: (topic) => knowledge.passages.filter((p) => p.topic === topic),
    passage: (id) => passagesById().get(id),
    roleProfile,
    comparisonPassages(a, b) {
      const pair = orderRoles(a, b);
      return knowledge.passages.filter((p) => p.topic === 'comparison' && pair.every((role) => p.roles.includes(role)));
    },
    cite,
    knowledge,
    tips: knowledge.tips,
    sources: knowledge.sources,
  };
}

const roleBit = (role: RoleId) => 1 << ROLE_IDS.indexOf(role);

const OTHER_ROLE_TERMS = new Set(Object.entries(ROLE_TERMS).filter(([role]) => role !== 'ml-engineer').map(([, term]) => term));
/** The knowledge base is about ML engineers: another role named in a question is its subject. */
const isOtherRole = (term: string) => OTHER_ROLE_TERMS.has(term);

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

export function answerText(passages: readonly AnswerPassage[]): string {
  const sources = [...new Set(passages.flatMap((p) => p.source.split('; ')))];
  const footer = `\n\nSources: ${sources.join('; ')}`;
  const body = passages.map((p) => `**${p.title}**\n${p.text}`).join('\n\n');
  return truncateAtSentence(body, MAX_ANSWER_CHARS - footer.length) + footer;
}

function declineText(question: string, nearby: string[]): string {
  const intro = question
    ? 'That is not covered in this knowledge base, so I would rather not guess.'
    : 'Ask me a question about machine-learning careers, for example "ML engineer vs data scientist?".';
  if (!question || nearby.length === 0) return intro;
  return `${intro}\nNearby topics:\n${nearby.map((t) => `• ${t}`).join('\n')}`;
}

