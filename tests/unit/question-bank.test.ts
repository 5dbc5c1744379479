import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.js';
import { bankLists, encodeQuestionBank, QuestionBank, type AskedQuestion, type QuestionBankFile } from '../../src/answering/questionBank.js';
import { serializeQuestionBank } from '../../src/learning/modelFile.js';
import { parseKnowledge } from '../../src/knowledge/loader.js';
import { knowledgeFiles } from '../support/knowledgeFixtures.js';

const asked = [
  { terms: ['mlengineer', 'salari', 'india'], passages: ['pay/india'] },
  { terms: ['mlengineer', 'salari', 'us'], passages: ['pay/us'] },
  { terms: ['mlengineer', 'visa', 'canada'], passages: [] },
  { terms: ['mlengineer', 'tool'], passages: ['tools/list'] },
];

describe('the questions asked before', () => {
  const bank = QuestionBank.of(asked);

  it('finds the most alike first, a rare shared word weighing more than a common one', () => {
    const nearest = bank.nearest(['mlengineer', 'salari', 'india']);
    // The same question, though not quite 1: its pair "india+salari", which no other question holds, weighs as unseen.
    expect(nearest[0]!.passages).toEqual(['pay/india']);
    expect(nearest[0]!.similarity).toBeGreaterThan(0.8);
    expect(nearest[0]!.similarity).toBeLessThan(1);
    expect(nearest[1]!.passages).toEqual(['pay/us']);
    expect(nearest.map((n) => n.similarity)).toEqual([...nearest.map((n) => n.similarity)].sort((a, b) => b - a));
    // "canada" is held by one question, "mlengineer" by all: sharing it makes the visa question the nearest.
    expect(bank.nearest(['mlengineer', 'canada', 'salari'])[0]!.passages).toEqual([]);
  });

  it('reads neighbouring terms as pairs, in either order the same, so how words go together counts', () => {
    const pairs = QuestionBank.of([
      { terms: ['negotiat', 'salari', 'offer'], passages: [] },
      { terms: ['salari', 'negotiat', 'tip'], passages: [] },
      { terms: ['salari', 'rang', 'negotiat'], passages: ['pay/us'] },
    ]);
    // All three hold both words; the two where they stand together share the pair and are more alike.
    const nearest = pairs.nearest(['negotiat', 'salari']);
    expect(nearest.map((n) => n.passages)).toEqual([[], [], ['pay/us']]);
    expect(nearest[1]!.similarity).toBeGreaterThan(nearest[2]!.similarity);
    expect(pairs.nearest(['salari', 'negotiat'])).toEqual(nearest);
  });

  it('never finds a question itself when told to skip it, and nothing for words no question holds', () => {
    expect(bank.nearest(['mlengineer', 'salari', 'india'], 10, 0).map((n) => n.passages)).not.toContainEqual(['pay/india']);
    expect(bank.nearest(['kubernetes'])).toEqual([]);
    expect(bank.nearest(['mlengineer'], 2)).toHaveLength(2);
  });

  it('says word by word whether questions holding the words were covered, its own label left out when told to skip it', () => {
    expect(bank.wordsCovered(['salari'])).toBeGreaterThan(0);
    expect(bank.wordsCovered(['canada'])).toBeLessThan(0);
    // "mlengineer" is held by every question, three covered and one not: the evidence of the questions' mix itself, none.
    expect(bank.wordsCovered(['mlengineer'])).toBeCloseTo(0, 10);
    expect(bank.wordsCovered(['mlengineer', 'canada'])).toBeCloseTo(bank.wordsCovered(['canada']) / 2, 10);
    expect(bank.wordsCovered(['nursing'])).toBe(0);
    expect(bank.wordsCovered(['mlengineer', 'india'])).toBe(bank.wordsCovered(['mlengineer', 'india', 'india+mlengineer']));
    // Skipping a question reads the words as a bank without it would.
    for (const [i, terms] of [[2, ['mlengineer', 'canada', 'visa']], [0, ['salari', 'india', 'us']]] as const) {
      const without = QuestionBank.of(asked.filter((_, k) => k !== i));
      expect(bank.wordsCovered(terms, i)).toBeCloseTo(without.wordsCovered(terms), 10);
    }
  });

  it('says word by word whether questions holding the words were answered by a passage, nothing of a passage none was', () => {
    const [india, us, faq] = bank.wordsAnsweredBy(['india'], ['pay/india', 'pay/us', 'faq:7']);
    expect(india).toBeGreaterThan(0);
    expect(us).toBeLessThan(0);
    expect(faq).toBe(0);
    const [salaryUs, salaryTools] = bank.wordsAnsweredBy(['salari'], ['pay/us', 'tools/list']);
    expect(salaryUs).toBeGreaterThan(salaryTools!);
    expect(bank.wordsAnsweredBy(['nursing'], ['pay/india'])).toEqual([0]);
    // Skipping a question reads the words as a bank without it would: its passage then answered none.
    const terms = ['mlengineer', 'salari', 'india'];
    for (const [i, passage] of [[0, 'pay/us'], [1, 'pay/us'], [0, 'pay/india']] as const) {
      const without = QuestionBank.of(asked.filter((_, k) => k !== i));
      expect(bank.wordsAnsweredBy(terms, [passage], i)[0]).toBeCloseTo(without.wordsAnsweredBy(terms, [passage])[0]!, 10);
    }
  });

  it('are committed with each term and passage written once, as the lists they are searched in', () => {
    const file = encodeQuestionBank(asked);
    // Single terms, and the one pair of neighbouring terms that two questions share.
    expect(file.terms).toEqual(['canada', 'india', 'mlengineer', 'mlengineer+salari', 'salari', 'tool', 'us', 'visa']);
    expect(bankLists(file, 'posting')).toEqual([[2], [0], [0, 1, 2, 3], [0, 1], [0, 1], [3], [1], [2]]);
    expect(file.postings).toEqual([2, 0, 0, 1, 2, 3, 0, 1, 0, 1, 3, 1, 2]);
    expect(file.postingEnds).toEqual([1, 2, 6, 8, 10, 11, 12, 13]);
    expect(file.passages).toEqual(['pay/india', 'pay/us', 'tools/list']);
    expect(bankLists(file, 'answer')).toEqual([[0], [1], [], [2]]);
    // Written a list per line (an empty one takes none), it reads back as it was encoded.
    expect(JSON.parse(serializeQuestionBank(asked))).toEqual(file);
    const read = QuestionBank.ofKnowledge(JSON.parse(serializeQuestionBank(asked)) as QuestionBankFile, () => true);
    for (const terms of [['mlengineer', 'salari', 'india'], ['visa'], ['tool', 'us']]) expect(read.nearest(terms)).toEqual(bank.nearest(terms));
  });

  it('keeps to the knowledge base the questions were labelled on', () => {
    const all = new Set(['pay/india', 'pay/us', 'tools/list']);
    expect(QuestionBank.ofKnowledge(encodeQuestionBank(asked), (id) => all.has(id)).size).toBe(4);
    // Another knowledge base: none of the passages they name is there, so no question speaks of it.
    expect(QuestionBank.ofKnowledge(encodeQuestionBank(asked), () => false).size).toBe(0);
    // One passage removed from ours: only the question it answered goes, and the rest are found as before.
    const many = Array.from({ length: 20 }, (_, i) => ({ terms: [`t${i}`, 'common'], passages: [`p${i}`] }));
    const withoutP3 = QuestionBank.ofKnowledge(encodeQuestionBank(many), (id) => id !== 'p3');
    expect(withoutP3.size).toBe(19);
    expect(withoutP3.nearest(['t3'])).toEqual([]);
    expect(withoutP3.nearest(['t4', 'common'])).toEqual(QuestionBank.of(many.filter((q) => q.passages[0] !== 'p3')).nearest(['t4', 'common']));
  });
});

describe('an engine with questions asked before', () => {
  const knowledge = parseKnowledge(knowledgeFiles());
  const india = 'salary/how-much-does-an-ml-engineer-earn-in-india';
  const entry = 'salary/entry-level-pay';
  /** An engine over the fixture knowledge base that was asked these questions before. */
  const engineAsked = (asked: readonly AskedQuestion[]) => createEngine(knowledge, undefined, undefined, encodeQuestionBank(asked));
  const termsOf = (question: string) => engineAsked([]).analyze(question).terms.map((t) => t.term);
  const engine = engineAsked([
    { terms: termsOf('whats the package in bangalore'), passages: [india] },
    { terms: termsOf('package for freshers?'), passages: [entry] },
  ]);

  it('reads the nearest ones for each question', () => {
    expect(engine.analyze('what package do freshers get').neighbours[0]!.passages).toEqual([entry]);
  });

  it("counts a server's entries and taught questions as asked there before", () => {
    const server = engine.serverIndex({
      entries: [{ id: 'entry:1', title: 'Our mentoring scheme', questions: ['how do I find a mentor'], text: 'Ask in #mentoring.', source: 'Moderators' }],
      taught: new Map([[india, ['what do engineers in pune take home']]]),
    });
    expect(engine.analyze('how do I find a mentor', server).neighbours[0]!.passages).toEqual(['entry:1']);
    expect(engine.analyze('what do engineers in pune take home', server).neighbours[0]!.passages).toEqual([india]);
    expect(engine.analyze('what do engineers in pune take home').neighbours.map((n) => n.passages)).not.toContainEqual([india]);
  });

  it("weighs a server's own entry by that server's questions: a shared question not covered says nothing of it", () => {
    const studyGroup = { id: 'entry:1', title: 'When does the study group meet?', questions: ['is there a study group'], text: 'Thursdays at 18:00 UTC.', source: 'Moderators' };
    const withUncovered = engineAsked([
      { terms: termsOf('whats the package in bangalore'), passages: [india] },
      ...['is the study group still on tonight', 'study group cancelled?', 'who runs the study group'].map((q) => ({ terms: termsOf(q), passages: [] })),
    ]);
    const server = withUncovered.serverIndex({ entries: [studyGroup], taught: new Map() });
    const question = 'hi all, is there a study group? when does it meet?';
    expect(withUncovered.analyze(question, server).neighbours.filter((n) => n.passages.length === 0)).toHaveLength(3);
    const answer = withUncovered.answer(question, server);
    expect(answer.passages[0]?.id).toBe('entry:1');
    expect(answer.confidence).toBeGreaterThanOrEqual(0.9);
  });
});
