import type { RoleId } from '../search/lexicon.js';
import type { RolePair } from '../search/comparison.js';
import modelFile from './answer-model.json' with { type: 'json' };
import { CHANNEL_FEATURES, type ChannelWords } from './messageSignals.js';
import type { Neighbour } from './questionBank.js';

// The learned part of answering: which retrieved passage answers a question (a linear re-ranker), which others
// to show beside it, and how likely the answer is right (a logistic model whose probability is the confidence
// members see). The weights are fitted offline by `npm run train` from labelled questions.

/** How many of the retrieved passages the re-ranker considers. */
export const CANDIDATES = 20;
const MAX_SHOWN = 3;

/** A question word as the decision sees it. */
export interface AnalysedTerm {
  term: string;
  surface: string;
  /** Rarer and more specific words weigh more (see questionWordWeight). */
  weight: number;
  /** The knowledge base's text uses it. */
  known: boolean;
  /** A word of the field rather than everyday talk. */
  domain: boolean;
  /** In the sentences that ask (not the backstory). */
  asking: boolean;
  /** 0 for everyday words, 1 for rare ones. */
  rarity: number;
}

/** A retrieved passage and what it shares with the question. */
export interface Candidate {
  /** Position in the index. */
  index: number;
  id: string;
  /** BM25+ score (with a comparison's role boost) and its share of the best candidate's. */
  bm25: number;
  /** BM25+ for the question's asking sentences alone (the same as `bm25` for a question without a backstory). */
  askingBm25: number;
  /** The question's terms it matches, in any field. */
  matched: ReadonlySet<string>;
  /** The question's terms its heading or document title holds. */
  inHeading: ReadonlySet<string>;
  /** The share of its heading's weight (by idf) that the question asks about: a heading about something else matched on one word is weak. */
  headingPrecision: number;
  documentId: string;
  /** The first section of its document: the overview a broad question wants. */
  opensDocument: boolean;
  /** How closely its heading, and its best phrasing, restate the question (0–1). */
  restatement: number;
  phrasing: number;
  /** How much of the question's and of its best phrasing's content words (by idf) the two share (0–1). */
  phrasingOverlap: number;
  roles: readonly RoleId[];
  /** The question names the subject of the passage's topic ("salary", "tools"). */
  topicAsked: boolean;
  /** Characters it takes in a reply (text and title). */
  replySize: number;
  /** The terms of its text: what it says, to tell whether it adds to passages already shown. */
  textTerms(): ReadonlySet<string>;
  /** Shares of the question's other jobs and places that the passage mentions (1 when it names none). */
  jobsMentioned: number;
  placesMentioned: number;
  /** One of the server's own entries, not a passage of the shared knowledge base. */
  serverEntry: boolean;
  /** Whether questions asked before sharing the question's words were answered by it, word by word (`QuestionBank.wordsAnsweredBy`). */
  wordsAnswered: number;
}

/** Everything the decision needs to know about a question: plain data, so a training run analyses once. */
export interface QuestionAnalysis {
  terms: AnalysedTerm[];
  /** The roles the question names (ML engineer included). */
  namedRoles: RoleId[];
  comparison?: RolePair;
  /** Jobs the question names that are none of the knowledge base's roles ("data engineer"), and places. */
  otherJobs: string[];
  places: string[];
  salaryAsked: boolean;
  smallTalk: boolean;
  /** The most alike questions asked before (labelled, put to a channel, or a server's own), most alike first. */
  neighbours: readonly Neighbour[];
  /** Whether questions asked before sharing its words were covered, word by word (`QuestionBank.wordsCovered`). */
  wordsCovered: number;
  /** In retrieval order (BM25+ with headings that restate the question ranked up). */
  candidates: Candidate[];
}

export const RANKER_FEATURES = [
  'bm25Log',
  'bm25Share',
  'askingBm25Share',
  'retrievalRank',
  'restatement',
  'phrasing',
  'phrasingOverlap',
  'coverage',
  'headingCoverage',
  'headingPrecision',
  'documentSupport',
  'opensDocument',
  'askingCoverage',
  'roleAgreement',
  'otherRole',
  'comparisonMatch',
  'topicAsked',
  'jobsMentioned',
  'placesMentioned',
  'length',
  'askedBefore',
  'askedBeforeShare',
  'wordsAnsweredBefore',
] as const;

export const DECISION_FEATURES = [
  'coverTop',
  'coverShown',
  'coverAsking',
  'unknownShare',
  'unknownRareWords',
  'coverAll',
  'heaviestUnknown',
  'heaviestUnmatched',
  'unmatchedRarity',
  'domainMatched',
  'rankProbability',
  'rankMargin',
  'restatedTop',
  'bm25PerTerm',
  'termCount',
  'roleMismatch',
  'jobUnmentioned',
  'placeUnmentioned',
  'salaryPlaceUnmentioned',
  'smallTalk',
  'comparisonAnswered',
  'topicAskedTop',
  'askedBeforeTop',
  'askedBeforeElsewhere',
  'askedBeforeDeclined',
  'askedBeforeCovered',
  'wordsCoveredBefore',
] as const;

export interface LinearModel {
  features: string[];
  weights: number[];
  bias: number;
}

export interface AnswerModel {
  version: 1;
  ranker: LinearModel;
  /** The probability an answer is right; below `threshold`, the engine says "not covered". */
  decision: LinearModel & { threshold: number };
  /** A runner-up is shown beside the best passage when its re-ranking probability reaches this share of the best's. */
  companions: { minShare: number };
  /** The ranker and decision fitted without questions asked before, for a knowledge base they were not asked of. */
  withoutAskedQuestions: { ranker: LinearModel; decision: LinearModel & { threshold: number } };
  /**
   * Whether a channel message is a question put to the channel (answerable or not); a message is answered
   * unasked when this times the decision's probability reaches the server's line, `defaultConfidence` unless
   * a moderator sets another.
   */
  channel: LinearModel & {
    /** How the answer model's and the question model's log-odds weigh in the channel's confidence. */
    blend: { weights: [number, number]; bias: number };
    defaultConfidence: number;
    /** What labelled messages holding each word were, for the `askingWords` feature. */
    words: ChannelWords;
  };
}

/**
 * The committed model, checked when first used (training replaces it, so it may be stale until then). Through
 * unknown: the type TypeScript reads from the file, with the channel's words as over a thousand keys, is not
 * one it compares with ours.
 */
export const ANSWER_MODEL = modelFile as unknown as AnswerModel;

/** A model whose features are not the code's is refused rather than misapplied. */
export function checkModel(model: AnswerModel): AnswerModel {
  const expect = (part: LinearModel, features: readonly string[], name: string) => {
    if (part.features.join() !== features.join() || part.weights.length !== features.length) {
      throw new Error(`the answer model's ${name} features (${part.features.join(', ')}) are not the engine's: run npm run train`);
    }
  };
  expect(model.ranker, RANKER_FEATURES, 'ranker');
  expect(model.decision, DECISION_FEATURES, 'decision');
  expect(model.withoutAskedQuestions.ranker, RANKER_FEATURES, 'ranker');
  expect(model.withoutAskedQuestions.decision, DECISION_FEATURES, 'decision');
  expect(model.channel, CHANNEL_FEATURES, 'channel');
  return model;
}

/** Each ranker feature's column in a candidate's row. */
const COLUMN = Object.fromEntries(RANKER_FEATURES.map((name, i) => [name, i])) as Record<(typeof RANKER_FEATURES)[number], number>;

/** One row per candidate, in RANKER_FEATURES order; written in place, as every question ranks twenty. */
export function rankerFeatures(analysis: QuestionAnalysis): number[][] {
  const { terms, candidates, neighbours, namedRoles, comparison } = analysis;
  const total = totalWeight(terms);
  const asking = terms.filter((t) => t.asking);
  const askingTotal = totalWeight(asking);
  let best = 1e-9;
  let bestAsking = 1e-9;
  for (const c of candidates) {
    if (c.bm25 > best) best = c.bm25;
    if (c.askingBm25 > bestAsking) bestAsking = c.askingBm25;
  }
  const otherNamed = namedRoles.some((r) => r !== 'ml-engineer');
  let neighbourWeight = 0;
  for (const n of neighbours) neighbourWeight += n.similarity;
  const rows: number[][] = [];
  for (let rank = 0; rank < candidates.length; rank++) {
    const c = candidates[rank]!;
    const row = new Array<number>(RANKER_FEATURES.length);
    row[COLUMN.bm25Log] = Math.log1p(c.bm25);
    row[COLUMN.bm25Share] = c.bm25 / best;
    row[COLUMN.askingBm25Share] = c.askingBm25 / bestAsking;
    row[COLUMN.retrievalRank] = 1 / (1 + rank);
    row[COLUMN.restatement] = c.restatement;
    row[COLUMN.phrasing] = c.phrasing;
    row[COLUMN.phrasingOverlap] = c.phrasingOverlap;
    row[COLUMN.coverage] = share(terms, total, (t) => c.matched.has(t.term));
    row[COLUMN.headingCoverage] = share(terms, total, (t) => c.inHeading.has(t.term));
    row[COLUMN.headingPrecision] = c.headingPrecision;
    // Several sections of one document retrieved together say the document is on the subject.
    let documentSupport = 0;
    for (const other of candidates) documentSupport += other !== c && other.documentId === c.documentId ? other.bm25 / best : 0;
    row[COLUMN.documentSupport] = documentSupport;
    row[COLUMN.opensDocument] = c.opensDocument ? 1 : 0;
    row[COLUMN.askingCoverage] = share(asking, askingTotal, (t) => c.matched.has(t.term));
    let agreeing = 0;
    for (const r of namedRoles) if (c.roles.includes(r)) agreeing++;
    row[COLUMN.roleAgreement] = namedRoles.length ? agreeing / namedRoles.length : 0;
    row[COLUMN.otherRole] = otherNamed && c.roles.some((r) => r !== 'ml-engineer' && !namedRoles.includes(r)) ? 1 : 0;
    row[COLUMN.comparisonMatch] = comparison && comparison.every((r) => c.roles.includes(r)) ? 1 : 0;
    row[COLUMN.topicAsked] = c.topicAsked ? 1 : 0;
    row[COLUMN.jobsMentioned] = c.jobsMentioned;
    row[COLUMN.placesMentioned] = c.placesMentioned;
    row[COLUMN.length] = Math.log1p(c.replySize) / 7;
    // Questions worded like this one were answered by this passage.
    let nearest = 0;
    let answeredWeight = 0;
    for (const n of neighbours) {
      if (!n.passages.includes(c.id)) continue;
      if (n.similarity > nearest) nearest = n.similarity;
      answeredWeight += n.similarity;
    }
    row[COLUMN.askedBefore] = nearest;
    row[COLUMN.askedBeforeShare] = neighbourWeight > 0 ? answeredWeight / neighbourWeight : 0;
    row[COLUMN.wordsAnsweredBefore] = c.wordsAnswered;
    rows.push(row);
  }
  return rows;
}

export interface Ranking {
  /** Candidate positions, best first. */
  order: number[];
  /** The re-ranker's softmax probability per candidate position. */
  probabilities: number[];
  scores: number[];
}

export function rank(analysis: QuestionAnalysis, ranker: LinearModel, features = rankerFeatures(analysis)): Ranking {
  const scores = features.map((x) => dot(ranker.weights, x));
  const probabilities = softmax(scores);
  // Ties keep retrieval order, so equal questions always give equal answers.
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return { order, probabilities, scores };
}

/** A further passage must say this much (a share of its terms) that the passages before it do not. */
const MIN_NOVELTY = 0.5;

/**
 * The best passage, then up to two runners-up that the re-ranker finds nearly as likely and that add to
 * what is shown: most of what a further passage says must be new. A comparison keeps to the passages about
 * both roles; the reply's length is kept when it is composed (replyText.ts).
 */
export function choosePassages(analysis: QuestionAnalysis, ranking: Ranking, minShare: number): number[] {
  const [top, ...rest] = ranking.order;
  if (top === undefined) return [];
  const chosen = [top];
  const said = new Set(analysis.candidates[top]!.textTerms());
  const pair = analysis.comparison;
  const otherRoles = analysis.namedRoles.filter((role) => role !== 'ml-engineer');
  for (const next of rest) {
    if (chosen.length === MAX_SHOWN) break;
    const candidate = analysis.candidates[next]!;
    if (ranking.probabilities[next]! < minShare * ranking.probabilities[top]!) break;
    if (pair && !pair.every((role) => candidate.roles.includes(role))) continue;
    // Beside an answer about another role, a passage about none of the roles asked about adds nothing.
    if (otherRoles.length > 0 && candidate.roles.length > 0 && !candidate.roles.some((role) => analysis.namedRoles.includes(role))) continue;
    const terms = candidate.textTerms();
    let fresh = 0;
    for (const t of terms) if (!said.has(t)) fresh++;
    if (fresh < MIN_NOVELTY * terms.size) continue;
    chosen.push(next);
    for (const t of terms) said.add(t);
  }
  return chosen;
}

export function decisionFeatures(analysis: QuestionAnalysis, ranking: Ranking, shown: readonly number[]): number[] {
  // Coverage is over the words the knowledge base knows; the words it lacks are features of their own.
  const terms = analysis.terms.filter((t) => t.known);
  const total = totalWeight(terms);
  const top = analysis.candidates[shown[0]!]!;
  const shownMatched = new Set(shown.flatMap((i) => [...analysis.candidates[i]!.matched]));
  const asking = terms.filter((t) => t.asking);
  const unmatched = terms.filter((t) => !shownMatched.has(t.term));
  const unknown = analysis.terms.filter((t) => !t.known);
  const second = ranking.order[1];
  const placeUnmentioned = top.placesMentioned < 1 ? 1 : 0;
  // "Not covered" was said of the shared knowledge base: of a server's own entry, only that server's questions speak.
  const coverageEvidence = top.serverEntry ? analysis.neighbours.filter((n) => n.here) : analysis.neighbours;
  const features: Record<(typeof DECISION_FEATURES)[number], number> = {
    coverTop: share(terms, total, (t) => top.matched.has(t.term)),
    coverShown: share(terms, total, (t) => shownMatched.has(t.term)),
    coverAsking: share(asking, totalWeight(asking), (t) => top.matched.has(t.term)),
    unknownShare: share(analysis.terms, totalWeight(analysis.terms), (t) => !t.known),
    // Words outside everyday English that the knowledge base never uses ("kubernetes", "nursing") name a subject it lacks.
    unknownRareWords: Math.min(3, unknown.filter((t) => t.rarity >= 0.5).length),
    coverAll: share(analysis.terms, totalWeight(analysis.terms), (t) => top.matched.has(t.term)),
    // The question's weightiest word is usually its subject: one the knowledge base lacks, or the answer does not hold.
    heaviestUnknown: heaviest(analysis.terms)?.known === false ? 1 : 0,
    heaviestUnmatched: terms.length && !top.matched.has(heaviest(terms)!.term) ? 1 : 0,
    unmatchedRarity: Math.max(0, ...unmatched.map((t) => t.rarity)),
    domainMatched: terms.some((t) => t.domain && top.matched.has(t.term)) ? 1 : 0,
    rankProbability: ranking.probabilities[shown[0]!]!,
    rankMargin: second === undefined ? 5 : Math.min(5, ranking.scores[shown[0]!]! - ranking.scores[second]!),
    // Its heading or one of its phrasings asks the question in (nearly) the member's words.
    restatedTop: Math.max(top.restatement, top.phrasing),
    bm25PerTerm: Math.log1p(top.bm25 / Math.max(1, terms.filter((t) => t.known).length)),
    termCount: Math.log1p(analysis.terms.length),
    roleMismatch: analysis.namedRoles.some((r) => r !== 'ml-engineer' && !top.roles.includes(r)) ? 1 : 0,
    jobUnmentioned: top.jobsMentioned < 1 ? 1 : 0,
    placeUnmentioned,
    salaryPlaceUnmentioned: analysis.salaryAsked ? placeUnmentioned : 0,
    smallTalk: analysis.smallTalk ? 1 : 0,
    comparisonAnswered: analysis.comparison && analysis.comparison.every((r) => top.roles.includes(r)) ? 1 : 0,
    topicAskedTop: top.topicAsked ? 1 : 0,
    // How alike the nearest question asked before is that the best passage answered, that another passage
    // answered, and that nothing answered: evidence for and against, all 0 when nothing alike was asked.
    askedBeforeTop: nearestWhere(analysis.neighbours, (n) => n.passages.includes(top.id)),
    askedBeforeElsewhere: nearestWhere(analysis.neighbours, (n) => n.passages.length > 0 && !n.passages.includes(top.id)),
    askedBeforeDeclined: nearestWhere(coverageEvidence, (n) => n.passages.length === 0),
    askedBeforeCovered: coveredBalance(coverageEvidence),
    wordsCoveredBefore: top.serverEntry ? 0 : analysis.wordsCovered,
  };
  return DECISION_FEATURES.map((name) => features[name]);
}

export interface Decision {
  ranking: Ranking;
  /** Candidate positions shown, best first; empty when nothing was retrieved. */
  shown: number[];
  /** How likely the answer is right. */
  probability: number;
}

/** Re-ranks the candidates, chooses what to show and weighs it: the whole learned path for one question. */
export function decide(analysis: QuestionAnalysis, model: Pick<AnswerModel, 'ranker' | 'decision' | 'companions'>): Decision {
  const ranking = rank(analysis, model.ranker);
  const shown = choosePassages(analysis, ranking, model.companions.minShare);
  return { ranking, shown, probability: shown.length ? probability(model.decision, decisionFeatures(analysis, ranking, shown)) : 0 };
}

/** The channel's confidence that answering a message unasked is right, from the two models' probabilities. */
export function channelConfidence(channel: AnswerModel['channel'], decided: number, messageFeatures: readonly number[]): number {
  const { weights, bias } = channel.blend;
  return sigmoid(weights[0] * logit(decided) + weights[1] * logit(probability(channel, messageFeatures)) + bias);
}

/** Log-odds, kept finite for probabilities of 0 and 1. */
export function logit(p: number): number {
  const q = Math.min(Math.max(p, 1e-4), 1 - 1e-4);
  return Math.log(q / (1 - q));
}

export function dot(weights: ArrayLike<number>, features: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < features.length; i++) sum += weights[i]! * features[i]!;
  return sum;
}

export function linearScore(model: LinearModel, features: readonly number[]): number {
  return dot(model.weights, features) + model.bias;
}

export function probability(model: LinearModel, features: readonly number[]): number {
  return sigmoid(linearScore(model, features));
}

/** The logistic function, computed without overflow on either side. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Scores as probabilities that sum to one, shifted by the largest so nothing overflows. */
export function softmax(scores: readonly number[]): number[] {
  const top = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/**
 * From -1 (every alike question asked before was not covered) to 1 (every one was); 0 without any. Each weighs
 * its similarity to the power COVERAGE_SHARPNESS: the few nearest speak for the question, not the twenty alike
 * in one word (chosen by cross-validation from 1, 2, 4 and 8).
 */
function coveredBalance(neighbours: readonly Neighbour[]): number {
  const weight = (n: Neighbour) => n.similarity ** COVERAGE_SHARPNESS;
  const total = neighbours.reduce((sum, n) => sum + weight(n), 0);
  return total > 0 ? neighbours.reduce((sum, n) => sum + (n.passages.length ? weight(n) : -weight(n)), 0) / total : 0;
}

const COVERAGE_SHARPNESS = 4;

function nearestWhere(neighbours: readonly Neighbour[], test: (n: Neighbour) => boolean): number {
  return neighbours.reduce((best, n) => (test(n) && n.similarity > best ? n.similarity : best), 0);
}

function heaviest(terms: readonly AnalysedTerm[]): AnalysedTerm | undefined {
  return terms.reduce<AnalysedTerm | undefined>((best, t) => (!best || t.weight > best.weight ? t : best), undefined);
}

function totalWeight(terms: readonly AnalysedTerm[]): number {
  return terms.reduce((sum, t) => sum + t.weight, 0);
}

/** The share of the terms' weight that passes `test`, summed in the terms' order. */
function share(terms: readonly AnalysedTerm[], total: number, test: (t: AnalysedTerm) => boolean): number {
  if (!(total > 0)) return 0;
  let sum = 0;
  for (const t of terms) if (test(t)) sum += t.weight;
  return sum / total;
}
