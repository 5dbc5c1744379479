// `npm run train`: fits the answer model from the labelled sets and writes src/answering/answer-model.json, and
// the questions asked before (the labelled questions and those put to a channel, as terms) to
// src/answering/question-bank.json.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadEngine } from '../answering/engine.js';
import { labelledMessagesSchema, labelledQuestionsSchema } from '../evaluation/labelledSets.js';
import { rankingQuality, reliabilityTable } from '../evaluation/reliability.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../knowledge/loader.js';
import { DEFAULT_TRAINING, trainAnswerModel, type TrainingReport } from '../learning/answerModelTraining.js';
import { serializeModel, serializeQuestionBank } from '../learning/modelFile.js';
import { packagePath } from '../packageRoot.js';

/** The committed model, in src/ (the build copies it into dist/). */
export const MODEL_FILE = packagePath('src', 'answering', 'answer-model.json');
export const BANK_FILE = packagePath('src', 'answering', 'question-bank.json');
const TRAIN_SET = packagePath('tests', 'eval', 'train.json');
const CHANNEL_SET = packagePath('tests', 'eval', 'channel.json');

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { seed: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
  const seed = values.seed === undefined ? DEFAULT_TRAINING.seed : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, not "${values.seed}"`);
  const questions = labelledQuestionsSchema.parse(JSON.parse(await readFile(TRAIN_SET, 'utf8')));
  const messages = labelledMessagesSchema.parse(JSON.parse(await readFile(CHANNEL_SET, 'utf8')));
  const engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
  const { model, askedQuestions, report } = trainAnswerModel(engine, questions, messages, { ...DEFAULT_TRAINING, seed });
  console.log(describe(report, questions.length, messages.length));
  if (values['dry-run']) return 0;
  await writeFile(MODEL_FILE, serializeModel(model));
  await writeFile(BANK_FILE, serializeQuestionBank(askedQuestions));
  console.log(`\nWrote ${MODEL_FILE} and ${BANK_FILE}`);
  return 0;
}

function describe(report: TrainingReport, questions: number, messages: number): string {
  const pct = (right: number, total: number) => `${right}/${total} (${total ? Math.round((100 * right) / total) : 0} %)`;
  const { ranking, decision, channel } = report;
  return [
    `Trained on ${questions} questions and ${messages - channel.heldOut} of ${messages} channel messages (${channel.heldOut} held out for npm run eval).`,
    `Penalties chosen by cross-validation: ranker ${report.l2.ranker}, decision ${report.l2.decision}, channel ${report.l2.channel}.`,
    '',
    `Cross-validated (${DEFAULT_TRAINING.folds}-fold) on the training questions:`,
    `  re-ranked passage (in scope): top-1 ${pct(ranking.top1, ranking.inScope)}, top-3 ${pct(ranking.top3, ranking.inScope)}`,
    `  in scope answered right: ${pct(decision.inScopeRight, decision.inScope)} (a right passage among those shown: ${pct(decision.answeredWithRightPassage, decision.inScope)})`,
    `  out of scope declined:   ${pct(decision.outOfScopeDeclined, decision.outOfScope)}`,
    `  threshold ${decision.threshold}, runner-ups shown from ${decision.minShare} of the best passage's probability`,
    '',
    'Reliability of the decision (out of fold): an answer shown at a confidence should be right that often.',
    reliabilityTable(report.reliability),
    `  ROC AUC ${rankingQuality(report.reliability).toFixed(3)}: how often a right answer is more confident than a wrong one or an out-of-scope question`,
    '',
    'What other thresholds would do (out of fold): in scope answered right, out of scope declined.',
    ...[0.3, 0.4, 0.5, 0.6, 0.7].map((t) => {
      const inScope = report.reliability.filter((r) => r.inScope);
      const outOfScope = report.reliability.filter((r) => !r.inScope);
      return `  ${t.toFixed(2)}  ${pct(inScope.filter((r) => r.right && r.probability >= t).length, inScope.length)}  ${pct(outOfScope.filter((r) => r.probability < t).length, outOfScope.length)}`;
    }),
    '',
    `Channel messages, cross-validated on the ${channel.fitted} fitted: answered ${pct(channel.answered, channel.shouldAnswer)} of those to answer, ` +
      `${pct(channel.falseAnswers, channel.leaveAlone)} of those to leave alone, at the default line ${Math.round(channel.threshold * 100)} %.`,
  ].join('\n');
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
