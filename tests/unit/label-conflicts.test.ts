import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.js';
import { labelConflicts } from '../../src/evaluation/labelConflicts.js';
import type { LabelledMessage, LabelledQuestion } from '../../src/evaluation/labelledSets.js';
import { parseKnowledge } from '../../src/knowledge/loader.js';
import { knowledgeFiles } from '../support/knowledgeFixtures.js';

const engine = createEngine(parseKnowledge(knowledgeFiles()));
const india = 'salary/how-much-does-an-ml-engineer-earn-in-india';
const question = (id: string, text: string, passages: string[]): LabelledQuestion =>
  passages.length ? { id, question: text, style: 'plain', passages } : { id, question: text, style: 'plain', outOfScope: { category: 'uncovered-career', reason: 'not covered' } };

describe('look-alike questions labelled both ways', () => {
  it('pairs a question in scope with its look-alike out of scope, most alike first, and no pair labelled alike', () => {
    const questions = [
      question('a', 'how much does an ml engineer earn in india', [india]),
      question('b', 'how much do ml engineers earn in india?', []),
      question('c', 'ml engineer salary india', [india]),
      question('d', 'how do i bake bread', []),
    ];
    const conflicts = labelConflicts(engine, questions, []);
    expect(conflicts.map((c) => [c.covered.id, c.uncovered.id])).toEqual([['a', 'b'], ['c', 'b']]);
    expect(conflicts[0]).toMatchObject({ covered: { id: 'a', passages: [india] }, uncovered: { id: 'b', passages: [], reason: 'uncovered-career: not covered' } });
    expect(conflicts.map((c) => c.similarity)).toEqual([...conflicts.map((c) => c.similarity)].sort((x, y) => y - x));
    expect(conflicts.flatMap((c) => [c.covered.id, c.uncovered.id])).not.toContain('d');
  });

  it('reads the questions put to a channel, but not the messages held out of training nor the chatter', () => {
    const message = (id: string, text: string, label: Pick<LabelledMessage & { passages: string[] }, 'passages'> | { leaveAlone: { category: string; reason: string } }): LabelledMessage =>
      ({ id, message: text, style: 'chat', ...label }) as LabelledMessage;
    const messages = [
      message('x1', 'how much do ml engineers earn in india?', { leaveAlone: { category: 'off-topic-question', reason: 'not covered' } }),
      // x2 is held out of training (one message in five, by its id): it judges the model and is left alone here.
      message('x2', 'how much do ml engineers earn in india', { leaveAlone: { category: 'off-topic-question', reason: 'not covered' } }),
      message('x3', 'lol ml engineers earn so much in india', { leaveAlone: { category: 'joke', reason: 'banter' } }),
    ];
    const ids = labelConflicts(engine, [question('a', 'how much does an ml engineer earn in india', [india])], messages).map((c) => c.uncovered.id);
    expect(ids).toEqual(['x1']);
  });
});
