import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ANSWER_MODEL, checkModel } from '../../src/answering/decision.js';
import { loadEngine } from '../../src/answering/engine.js';
import { labelledMessagesSchema, labelledQuestionsSchema, isHeldOutMessage } from '../../src/evaluation/labelledSets.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/knowledge/loader.js';
import { DEFAULT_TRAINING, trainAnswerModel } from '../../src/learning/answerModelTraining.js';
import { serializeModel, serializeQuestionBank } from '../../src/learning/modelFile.js';

const readJson = async (path: string) => JSON.parse(await readFile(new URL(path, import.meta.url), 'utf8')) as unknown;

describe('the answer model', () => {
  it('is what npm run train produces from the labelled sets (with the questions asked before), and fits the engine', async () => {
    const questions = labelledQuestionsSchema.parse(await readJson('../eval/train.json'));
    const messages = labelledMessagesSchema.parse(await readJson('../eval/channel.json'));
    const engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
    const { model, askedQuestions, report } = trainAnswerModel(engine, questions, messages, DEFAULT_TRAINING);
    const committed = await readFile(new URL('../../src/answering/answer-model.json', import.meta.url), 'utf8');
    expect(serializeModel(model), 'the committed model is stale: run npm run train').toBe(committed);
    const bank = await readFile(new URL('../../src/answering/question-bank.json', import.meta.url), 'utf8');
    expect(serializeQuestionBank(askedQuestions), 'the committed questions asked before are stale: run npm run train').toBe(bank);
    // The labelled questions, then the questions put to a channel, but for the messages held out.
    const channelQuestions = messages.filter((m) => !isHeldOutMessage(m.id) && ('passages' in m || m.leaveAlone.category === 'off-topic-question'));
    expect(askedQuestions).toHaveLength(questions.length + channelQuestions.length);
    expect(() => checkModel(ANSWER_MODEL)).not.toThrow();
    // Cross-validation is honest only if the held-out messages were never fitted.
    expect(report.channel.heldOut).toBe(messages.filter((m) => isHeldOutMessage(m.id)).length);
  }, 180_000);

  it('learns from labelled sets that share no question, nor a near copy of one, with the sets that judge it', async () => {
    // The questions asked before ship with the bot: a near copy of a held-out question among them would grade
    // the held-out set on its own answers. Near: half the distinct words in common (Jaccard).
    const words = (text: string) => new Set(text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().split(' '));
    const alike = (a: Set<string>, b: Set<string>) => [...a].filter((w) => b.has(w)).length / new Set([...a, ...b]).size >= 0.5;
    const judging = [...((await readJson('../eval/dev.json')) as { question: string }[]), ...((await readJson('../eval/holdout.json')) as { question: string }[])].map((q) =>
      words(q.question),
    );
    const questions = labelledQuestionsSchema.parse(await readJson('../eval/train.json'));
    const messages = labelledMessagesSchema.parse(await readJson('../eval/channel.json'));
    expect(questions.length).toBeGreaterThanOrEqual(600);
    expect(messages.length).toBeGreaterThanOrEqual(300);
    expect([...questions.map((q) => q.question), ...messages.map((m) => m.message)].filter((text) => judging.some((j) => alike(words(text), j)))).toEqual([]);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length);
  });

  it('labels only passages the knowledge base has', async () => {
    const engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
    const questions = labelledQuestionsSchema.parse(await readJson('../eval/train.json'));
    const messages = labelledMessagesSchema.parse(await readJson('../eval/channel.json'));
    const unknown = [...questions, ...messages].flatMap((item) => ('passages' in item ? item.passages : [])).filter((id) => !engine.passage(id));
    expect(unknown).toEqual([]);
  });
});
