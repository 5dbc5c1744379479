import {
  choosePassages,
  decide,
  DECISION_FEATURES,
  decisionFeatures,
  probability,
  rank,
  RANKER_FEATURES,
  rankerFeatures,
  type AnswerModel,
  type Candidate,
  type LinearModel,
  type QuestionAnalysis,
} from '../answering/decision.js';
import type { Engine } from '../answering/engine.js';
import { CHANNEL_FEATURES, messageFeatures, messageWords, withoutCode, type ChannelWords } from '../answering/messageSignals.js';
import { QuestionBank, type AskedQuestion } from '../answering/questionBank.js';
import { answeringPassages, asksTheChannel, isHeldOutMessage, type LabelledMessage, type LabelledQuestion } from '../evaluation/labelledSets.js';
import { countChannelWords } from './channelWords.js';
import { fitListwise, fitLogistic, type Weights } from './fitting.js';
import { applyScaling, assignFolds, scalingOf, type Scaling } from './folds.js';
import { logit } from '../answering/decision.js';

export interface TrainingOptions {
  seed: number;
  folds: number;
}

export const DEFAULT_TRAINING: TrainingOptions = { seed: 1, folds: 5 };

/** Candidate penalties, chosen by cross-validation on the training questions. */
const L2_GRID = [0.3, 1, 3, 10, 30];
/** The re-ranker's fits take most of a training run: a narrower grid (a wider one, to 30, chose the same on 4,227 questions). */
const RANKER_L2_GRID = [1, 3, 10];
const COMPANION_GRID = [0.02, 0.05, 0.1, 0.15, 0.25, 0.4];
/** A further passage costs a reader some attention: it must pay for itself in answers it makes right. */
const EXTRA_PASSAGE_COST = 0.05;
/** At most this share of the messages to leave alone may be answered at a server's default line. */
const CHANNEL_FALSE_ANSWERS = 0.05;

export interface Rates {
  /** In scope: answered, with a right passage among those shown. */
  inScopeRight: number;
  inScope: number;
  outOfScopeDeclined: number;
  outOfScope: number;
}

export interface TrainingReport {
  l2: { ranker: number; decision: number; channel: number };
  /** Cross-validated (out-of-fold) figures on the training questions. */
  ranking: { top1: number; top3: number; inScope: number };
  decision: Rates & { threshold: number; minShare: number; answeredWithRightPassage: number };
  /** Out-of-fold probabilities and whether the answer was right, for a reliability table. */
  reliability: { probability: number; right: boolean; inScope: boolean }[];
  channel: { threshold: number; answered: number; shouldAnswer: number; falseAnswers: number; leaveAlone: number; fitted: number; heldOut: number };
}

/** A labelled question as the engine analyses it, before the questions asked before are read for it. */
interface AnalysedQuestion {
  analysis: QuestionAnalysis;
  relevant: boolean[];
  inScope: boolean;
}

/** A labelled question with its neighbours among the questions asked before, and its candidates' features. */
interface Example extends AnalysedQuestion {
  features: number[][];
}

/**
 * Fits the answer model from labelled questions and channel messages: a listwise re-ranker, a logistic
 * decision on the re-ranked answer (fitted on out-of-fold rankings, so it learns from the ranker's real
 * mistakes), the threshold and the runner-up share by cross-validation, and the channel model on the messages
 * not held out. Deterministic for a seed.
 */
export function trainAnswerModel(
  engine: Engine,
  questions: readonly LabelledQuestion[],
  messages: readonly LabelledMessage[],
  options: TrainingOptions = DEFAULT_TRAINING,
): { model: AnswerModel; askedQuestions: AskedQuestion[]; report: TrainingReport } {
  const analysed = questions.map((q) => analysedQuestion(engine, q.question, answeringPassages(q)));
  const folds = assignFolds(analysed.map((e) => (e.inScope ? 'in' : 'out')), options.folds, options.seed);
  // The questions asked before, as each model would see them: a question never finds itself, and a fold's
  // questions are not in the bank its held-out figures are read with. The questions put to a channel (but for
  // the messages held out) are among them, after the labelled questions.
  const fitting = messages.filter((m) => !isHeldOutMessage(m.id));
  const messageAnalyses = new Map(fitting.map((m) => [m.id, engine.analyze(withoutCode(m.message))]));
  const channelQuestions = fitting.filter(asksTheChannel);
  const askedQuestions = [
    ...analysed.map((e, i) => ({ terms: termsOf(e.analysis), passages: answeringPassages(questions[i]!) })),
    ...channelQuestions.map((m) => ({ terms: termsOf(messageAnalyses.get(m.id)!), passages: answeringPassages(m) })),
  ];
  const fullBank = QuestionBank.of(askedQuestions);
  const examples = analysed.map((e, i) => withAskedBefore(e, fullBank, i));
  const foldViews = Array.from({ length: options.folds }, (_, fold) => {
    const kept = askedQuestions.flatMap((_, i) => (i < analysed.length && folds[i] === fold ? [] : [i]));
    const bank = QuestionBank.of(kept.map((i) => askedQuestions[i]!));
    const position = new Map(kept.map((i, j) => [i, j]));
    return analysed.map((e, i) => withAskedBefore(e, bank, position.get(i)));
  });
  const heldOut = analysed.map((_, i) => foldViews[folds[i]!]![i]!);

  const rankingsByL2 = new Map(RANKER_L2_GRID.map((l2) => [l2, outOfFoldRankings(foldViews, heldOut, folds, options.folds, l2)]));
  const rankerL2 = best(RANKER_L2_GRID, (l2) => heldOut.reduce((sum, e, i) => sum + (e.relevant[rankingsByL2.get(l2)![i]!.order[0]!] ? 1 : 0), 0));
  const oofRankings = rankingsByL2.get(rankerL2)!;
  const ranker = fitRanker(examples, rankerL2);

  type Choice = { minShare: number; l2: number; threshold: number; value: number; rows: DecisionRow[]; oof: number[] };
  let chosen: Choice | undefined;
  for (const minShare of COMPANION_GRID) {
    const rows = decisionRows(heldOut, oofRankings, minShare);
    for (const l2 of L2_GRID) {
      const oof = outOfFold(rows.length, folds, options.folds, (train, test) => {
        const model = fitScaledLogistic(train.map((i) => rows[i]!), l2);
        return test.map((i) => probability(model, rows[i]!.features));
      });
      const threshold = bestThreshold(rows, oof);
      const rates = ratesAt(rows, oof, threshold);
      const extra = rows.reduce((sum, r, i) => sum + (oof[i]! >= threshold ? r.shown - 1 : 0), 0) / rows.length;
      const value = balanced(rates) + 0.5 * (rates.inScope ? answeredWithRight(rows, oof, threshold) / rates.inScope : 0) - EXTRA_PASSAGE_COST * extra;
      if (!chosen || value > chosen.value + 1e-12) chosen = { minShare, l2, threshold, value, rows, oof };
    }
  }
  const { minShare, l2: decisionL2, threshold, rows, oof } = chosen!;
  const decision = { ...fitScaledLogistic(rows, decisionL2), threshold: round(threshold) };
  const partial = { version: 1 as const, ranker, decision, companions: { minShare }, withoutAskedQuestions: fitWithoutAskedQuestions(analysed, folds, options.folds, rankerL2, minShare, decisionL2) };

  const bankPosition = new Map(channelQuestions.map((m, j) => [m.id, analysed.length + j]));
  const channel = trainChannel(partial, fullBank, bankPosition, messages, messageAnalyses, options);
  const model: AnswerModel = { ...partial, channel: channel.model };
  const rates = ratesAt(rows, oof, threshold);
  return {
    model,
    askedQuestions,
    report: {
      l2: { ranker: rankerL2, decision: decisionL2, channel: channel.l2 },
      ranking: {
        top1: heldOut.filter((e, i) => e.relevant[oofRankings[i]!.order[0]!]).length,
        top3: heldOut.filter((e, i) => oofRankings[i]!.order.slice(0, 3).some((c) => e.relevant[c])).length,
        inScope: heldOut.filter((e) => e.inScope).length,
      },
      decision: { ...rates, threshold, minShare, answeredWithRightPassage: answeredWithRight(rows, oof, threshold) },
      reliability: rows.map((r, i) => ({ probability: oof[i]!, right: r.label === 1, inScope: r.inScope })),
      channel: channel.report,
    },
  };
}

function analysedQuestion(engine: Engine, question: string, passages: readonly string[]): AnalysedQuestion {
  const analysis = engine.analyze(question);
  const answers = new Set(passages);
  return { analysis, relevant: analysis.candidates.map((c) => answers.has(c.id)), inScope: answers.size > 0 };
}

const termsOf = (analysis: QuestionAnalysis) => analysis.terms.map((t) => t.term);

function withAskedBefore(e: AnalysedQuestion, bank: QuestionBank | undefined, skip?: number): Example {
  const analysis = readAskedBefore(e.analysis, bank, skip);
  return { ...e, analysis, features: rankerFeatures(analysis) };
}

/**
 * The analysis as a bank of questions asked before reads it (`skip`: the question's own place there, if it is
 * one): its nearest questions and its words' evidence, for it and for each candidate; none without a bank.
 */
function readAskedBefore(analysis: QuestionAnalysis, bank: QuestionBank | undefined, skip?: number): QuestionAnalysis {
  const terms = termsOf(analysis);
  const answered = bank?.wordsAnsweredBy(terms, analysis.candidates.map((c) => c.id), skip);
  return {
    ...analysis,
    neighbours: bank ? bank.nearest(terms, undefined, skip) : [],
    wordsCovered: bank ? bank.wordsCovered(terms, skip) : 0,
    candidates: analysis.candidates.map((c, k): Candidate => ({ ...c, wordsAnswered: answered?.[k] ?? 0 })),
  };
}

function fitRanker(examples: readonly Example[], l2: number): LinearModel {
  const scaling = scalingOf(examples.flatMap((e) => e.features));
  const weights = fitListwise(
    examples.map((e) => ({ candidates: e.features.map((x) => applyScaling(x, scaling)), relevant: e.relevant })),
    l2,
  );
  return unscaled([...RANKER_FEATURES], weights, scaling, false);
}

/** Each question ranked by a ranker fitted on the other folds (`foldViews[fold]`: the questions as that fold's models see them). */
function outOfFoldRankings(foldViews: readonly (readonly Example[])[], heldOut: readonly Example[], folds: readonly number[], k: number, l2: number) {
  const rankings = new Array<ReturnType<typeof rank>>(heldOut.length);
  for (let fold = 0; fold < k; fold++) {
    const ranker = fitRanker(foldViews[fold]!.filter((_, i) => folds[i] !== fold), l2);
    heldOut.forEach((e, i) => {
      if (folds[i] === fold) rankings[i] = rank(e.analysis, ranker, e.features);
    });
  }
  return rankings;
}

interface DecisionRow {
  features: number[];
  label: 0 | 1;
  inScope: boolean;
  /** Passages shown, and whether one of them is right. */
  shown: number;
  anyRight: boolean;
}

function decisionRows(examples: readonly Example[], rankings: readonly ReturnType<typeof rank>[], minShare: number): DecisionRow[] {
  return examples.map((e, i) => {
    const ranking = rankings[i]!;
    const shown = choosePassages(e.analysis, ranking, minShare);
    if (shown.length === 0) return { features: DECISION_FEATURES.map(() => 0), label: 0, inScope: e.inScope, shown: 0, anyRight: false };
    return {
      features: decisionFeatures(e.analysis, ranking, shown),
      // Right when a passage shown answers it: the reply leads with the best, and the others complete it.
      label: shown.some((c) => e.relevant[c]) ? 1 : 0,
      inScope: e.inScope,
      shown: shown.length,
      anyRight: shown.some((c) => e.relevant[c]),
    };
  });
}

function fitScaledLogistic(rows: readonly { features: number[]; label: 0 | 1 }[], l2: number, names: readonly string[] = DECISION_FEATURES): LinearModel {
  const scaling = scalingOf(rows.map((r) => r.features));
  const weights = fitLogistic(
    rows.map((r) => ({ features: applyScaling(r.features, scaling), label: r.label })),
    l2,
  );
  return unscaled([...names], weights, scaling, true);
}

/** Weights for raw features: the scaling folded in, rounded so the committed file reads and diffs well. */
function unscaled(features: string[], weights: Weights, { mean, scale }: Scaling, withBias: boolean): LinearModel {
  const raw = features.map((_, j) => weights[j]! / scale[j]!);
  const bias = withBias ? weights[features.length]! - raw.reduce((sum, w, j) => sum + w * mean[j]!, 0) : 0;
  return { features, weights: raw.map(round), bias: round(bias) };
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}

/**
 * The ranker and decision for a knowledge base no labelled question was asked of (a server owner's own
 * directory): the same fitting with no questions asked before, at the penalties and share chosen with them.
 */
function fitWithoutAskedQuestions(analysed: readonly AnalysedQuestion[], folds: readonly number[], k: number, rankerL2: number, minShare: number, decisionL2: number) {
  const examples = analysed.map((e) => withAskedBefore(e, undefined));
  const rankings = outOfFoldRankings(Array.from({ length: k }, () => examples), examples, folds, k, rankerL2);
  const rows = decisionRows(examples, rankings, minShare);
  const oof = outOfFold(rows.length, folds, k, (train, test) => {
    const model = fitScaledLogistic(train.map((i) => rows[i]!), decisionL2);
    return test.map((i) => probability(model, rows[i]!.features));
  });
  return { ranker: fitRanker(examples, rankerL2), decision: { ...fitScaledLogistic(rows, decisionL2), threshold: round(bestThreshold(rows, oof)) } };
}

/** Runs `predict` for each fold on the others; returns the predictions in item order. */
function outOfFold(n: number, folds: readonly number[], k: number, predict: (train: number[], test: number[]) => number[]): number[] {
  const result = new Array<number>(n);
  for (let fold = 0; fold < k; fold++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (folds[i] === fold ? test : train).push(i);
    predict(train, test).forEach((p, j) => (result[test[j]!] = p));
  }
  return result;
}

function ratesAt(rows: readonly DecisionRow[], probabilities: readonly number[], threshold: number): Rates {
  const rates: Rates = { inScopeRight: 0, inScope: 0, outOfScopeDeclined: 0, outOfScope: 0 };
  rows.forEach((row, i) => {
    const answered = probabilities[i]! >= threshold;
    if (row.inScope) {
      rates.inScope++;
      if (answered && row.label === 1) rates.inScopeRight++;
    } else {
      rates.outOfScope++;
      if (!answered) rates.outOfScopeDeclined++;
    }
  });
  return rates;
}

function answeredWithRight(rows: readonly DecisionRow[], probabilities: readonly number[], threshold: number): number {
  return rows.filter((row, i) => row.inScope && row.anyRight && probabilities[i]! >= threshold).length;
}

/** Members judge both halves: the share of in-scope questions answered right and of the rest declined. */
function balanced(rates: Rates): number {
  return (rates.inScope ? rates.inScopeRight / rates.inScope : 0) + (rates.outOfScope ? rates.outOfScopeDeclined / rates.outOfScope : 0);
}

function bestThreshold(rows: readonly DecisionRow[], probabilities: readonly number[]): number {
  const candidates = [...new Set(probabilities.map((p) => Math.round(p * 100) / 100))].sort((a, b) => a - b);
  return best(candidates, (t) => balanced(ratesAt(rows, probabilities, t)));
}

/** The candidate with the highest value; the first of equals. */
function best<T>(candidates: readonly T[], value: (candidate: T) => number): T {
  let winner = candidates[0] as T;
  let top = -Infinity;
  for (const candidate of candidates) {
    const v = value(candidate);
    if (v > top + 1e-12) {
      top = v;
      winner = candidate;
    }
  }
  return winner;
}

function trainChannel(
  model: Omit<AnswerModel, 'channel'>,
  bank: QuestionBank,
  bankPosition: ReadonlyMap<string, number>,
  messages: readonly LabelledMessage[],
  /** What the engine makes of each message fitted (its code left out). */
  analyses: ReadonlyMap<string, QuestionAnalysis>,
  options: TrainingOptions,
): { model: AnswerModel['channel']; l2: number; report: TrainingReport['channel'] } {
  const fitting = messages.filter((m) => !isHeldOutMessage(m.id));
  const folds = assignFolds(fitting.map((m) => ('passages' in m ? 'answer' : asksTheChannel(m) ? 'question' : 'chat')), options.folds, options.seed);
  // Each message's words are weighed by what the other folds' messages holding them were, as a new message's are by all.
  const counted = fitting.map((m) => ({ words: messageWords(m.message), asks: asksTheChannel(m) }));
  const foldWords = Array.from({ length: options.folds }, (_, fold) => countChannelWords(counted.filter((_, i) => folds[i] !== fold)));
  const rows = fitting.map((m, i) => channelRow(analyses.get(m.id)!, model, bank, bankPosition.get(m.id), m, foldWords[folds[i]!]!));
  // Stacked: the question model is fitted first; how much to trust it against the answer model is fitted on its
  // out-of-fold probabilities, so the blend learns from the question model's real mistakes.
  const blendRows = (questionProbabilities: readonly number[]) =>
    rows.map((row, i) => ({ features: [logit(row.decided), logit(questionProbabilities[i]!)], label: (row.shouldAnswer && row.rightShown ? 1 : 0) as 0 | 1 }));
  let chosen: { l2: number; questions: number[]; oof: number[]; value: number } | undefined;
  for (const l2 of L2_GRID) {
    const questions = outOfFold(rows.length, folds, options.folds, (train, test) => {
      const fitted = fitScaledLogistic(train.map((i) => rows[i]!), l2, CHANNEL_FEATURES);
      return test.map((i) => probability(fitted, rows[i]!.features));
    });
    const blended = blendRows(questions);
    const oof = outOfFold(rows.length, folds, options.folds, (train, test) => {
      const blend = fitScaledLogistic(train.map((i) => blended[i]!), BLEND_L2, BLEND_INPUTS);
      return test.map((i) => probability(blend, blended[i]!.features));
    });
    const value = channelRates(rows, oof, channelThreshold(rows, oof)).answered;
    if (!chosen || value > chosen.value) chosen = { l2, questions, oof, value };
  }
  const threshold = channelThreshold(rows, chosen!.oof);
  const question = fitScaledLogistic(rows, chosen!.l2, CHANNEL_FEATURES);
  const blend = fitScaledLogistic(blendRows(chosen!.questions), BLEND_L2, BLEND_INPUTS);
  return {
    model: { ...question, blend: { weights: blend.weights as [number, number], bias: blend.bias }, defaultConfidence: threshold, words: countChannelWords(counted) },
    l2: chosen!.l2,
    report: { threshold, ...channelRates(rows, chosen!.oof, threshold), fitted: rows.length, heldOut: messages.length - rows.length },
  };
}

/** The blend has two inputs and plenty of data: a light penalty. */
const BLEND_L2 = 0.1;
const BLEND_INPUTS = ['answer', 'question'];

interface ChannelRow {
  /** How much the message reads as a question put to the channel. */
  features: number[];
  /** It is one: a question to answer, or one the knowledge base cannot (those the answer model declines). */
  label: 0 | 1;
  /** The answer model's probability for what it asks, and whether a passage it would show is right. */
  decided: number;
  rightShown: boolean;
  shouldAnswer: boolean;
}

/** The message never finds itself among the questions asked before (`self`: its place there, if it is one). */
function channelRow(asked: QuestionAnalysis, model: Omit<AnswerModel, 'channel'>, bank: QuestionBank, self: number | undefined, message: LabelledMessage, channelWords: ChannelWords): ChannelRow {
  const analysis = readAskedBefore(asked, bank, self);
  const { shown, probability: decided } = decide(analysis, model);
  const answers = answeringPassages(message);
  return {
    features: messageFeatures(message.message, channelWords),
    label: asksTheChannel(message) ? 1 : 0,
    decided,
    rightShown: shown.some((c) => answers.includes(analysis.candidates[c]!.id)),
    shouldAnswer: answers.length > 0,
  };
}

export function channelRates(rows: readonly ChannelRow[], confidences: readonly number[], threshold: number) {
  let answered = 0;
  let falseAnswers = 0;
  rows.forEach((row, i) => {
    if (confidences[i]! < threshold) return;
    if (row.shouldAnswer && row.rightShown) answered++;
    else if (!row.shouldAnswer) falseAnswers++;
  });
  return {
    answered,
    shouldAnswer: rows.filter((r) => r.shouldAnswer).length,
    falseAnswers,
    leaveAlone: rows.filter((r) => !r.shouldAnswer).length,
  };
}

/** The lowest line (in whole percent) that answers at most CHANNEL_FALSE_ANSWERS of the messages to leave alone. */
function channelThreshold(rows: readonly ChannelRow[], confidences: readonly number[]): number {
  for (let percent = 1; percent <= 99; percent++) {
    const rates = channelRates(rows, confidences, percent / 100);
    if (rates.falseAnswers <= CHANNEL_FALSE_ANSWERS * rates.leaveAlone) return percent / 100;
  }
  return 0.99;
}
