import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine, type ServerEntry } from '../../src/answering/engine.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/knowledge/loader.js';

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
});

const STUDY_GROUP: ServerEntry = {
  id: 'faq:1',
  title: 'When does the study group meet?',
  questions: ['what time is the weekly study session'],
  text: 'The study group meets every Thursday at 18:00 UTC in the Kaggler voice channel. Bring a notebook and a question.',
  source: "From this server's FAQ",
};
const SALARY_INDIA = 'ml-engineer-salary/what-is-the-salary-of-an-ml-engineer-in-india';

describe('a server’s own knowledge beside the shared knowledge base', () => {
  it('answers from a server entry in that server only, citing it', async () => {
    const server = engine.serverIndex({ entries: [STUDY_GROUP], taught: new Map() });
    const answer = engine.answer('when does the study group meet?', server);
    expect(answer.answered).toBe(true);
    expect(answer.passages[0]).toMatchObject({ id: 'faq:1', title: STUDY_GROUP.title, sources: [{ text: STUDY_GROUP.source }] });
    expect(engine.answer('when does the study group meet?').answered).toBe(false);
  });

  it('ranks entries with the shared passages: a question the shared knowledge base answers keeps its answer', async () => {
    const server = engine.serverIndex({ entries: [STUDY_GROUP], taught: new Map() });
    expect(engine.answer('what is data drift', server).passages.map((p) => p.id)).toEqual(engine.answer('what is data drift').passages.map((p) => p.id));
    expect(engine.search('study group', 5, server).map((p) => p.id)).toContain('faq:1');
  });

  it('answers with a shared passage a phrasing the server taught it, in that server only', async () => {
    const question = 'how much rupees does an ML fresher get in pune';
    expect(engine.answer(question).answered).toBe(false);
    const server = engine.serverIndex({ entries: [], taught: new Map([[SALARY_INDIA, [question]]]) });
    const answer = engine.answer(question, server);
    expect(answer.answered).toBe(true);
    expect(answer.passages[0]!.id).toBe(SALARY_INDIA);
  });

  it('takes the server’s words as words, not typos of the shared ones', async () => {
    expect(engine.answer('is the kaggler channel open').corrections).toEqual([{ typed: 'kaggler', corrected: 'kaggle' }]);
    const server = engine.serverIndex({ entries: [STUDY_GROUP], taught: new Map() });
    expect(engine.answer('is the kaggler channel open', server).corrections).toEqual([]);
  });

  it('offers the server’s entries in autocomplete, ranked with the shared questions', async () => {
    const server = engine.serverIndex({ entries: [STUDY_GROUP], taught: new Map() });
    expect(engine.suggest('study gro', server)).toContain(STUDY_GROUP.title);
    expect(engine.suggest('study gro')).not.toContain(STUDY_GROUP.title);
    expect(engine.suggest('', server)[0]).toBe(STUDY_GROUP.title);
  });

  it('refuses a server index built for another engine', async () => {
    const other = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
    const server = other.serverIndex({ entries: [STUDY_GROUP], taught: new Map() });
    expect(() => engine.answer('when does the study group meet?', server)).toThrow(/another engine/);
  });
});
