// The server layer without Discord: what slash commands, auto-answers and any later web page call.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../../src/answering/engine.js';
import type { Change, ChangeFeed } from '../../src/guilds/changes.js';
import { MAX_ENTRIES, type EntryDraft } from '../../src/guilds/entries.js';
import { createGuilds } from '../../src/guilds/guilds.js';
import { questionKey, topicRef } from '../../src/guilds/teaching.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/knowledge/loader.js';
import type { Store } from '../../src/storage/store.js';
import { capturingLogger, fakeDiscord, testGuilds, testQuestionLog, testStore } from '../support/commandContext.js';

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
});

const A = '100000000000000001';
const B = '100000000000000002';
const MOD = { userId: '400000000000000001', name: 'mod' };
const MEMBER_ID = '500000000000000001';
const NOW = new Date('2026-11-23T12:00:00Z');

const STUDY_GROUP: EntryDraft = {
  title: 'When does the study group meet?',
  questions: '- what time is the weekly study session\n\n- is there a study group',
  answer: 'The study group meets every Thursday at 18:00 UTC in the voice channel. Bring a notebook and a question.',
  link: 'https://example.org/study-group',
};
const STUDY_QUESTION = 'when does the study group meet?';
const DECLINED = 'how much rupees does an ML fresher get in pune';
const SALARY_INDIA = 'ml-engineer-salary/what-is-the-salary-of-an-ml-engineer-in-india';

function setup(store: Store = testStore(() => NOW)) {
  const questionLog = testQuestionLog(store);
  const guilds = testGuilds(engine, store, { questionLog, now: () => NOW });
  return { store, questionLog, guilds };
}

describe('asking in a server', () => {
  it('answers from an entry of that server only, saying where it comes from, who last edited it and when', async () => {
    const { guilds } = setup();
    expect(await guilds.entries.add(A, MOD, STUDY_GROUP)).toMatchObject({ ok: true, entry: { id: 1, questions: ['what time is the weekly study session', 'is there a study group'] } });
    const answer = await guilds.questions.ask(A, MEMBER_ID, STUDY_QUESTION);
    expect(answer.answered).toBe(true);
    expect(answer.passages[0]).toMatchObject({ id: 'faq:1', sources: [{ text: "From this server's FAQ, last edited by mod on 2026-11-23 · https://example.org/study-group" }] });
    expect((await guilds.questions.ask(B, MEMBER_ID, STUDY_QUESTION)).answered).toBe(false);
    expect((await guilds.questions.ask(null, MEMBER_ID, STUDY_QUESTION)).answered).toBe(false);
  });

  it('answers channel messages from the server’s entries too, and records only what reads as a question', async () => {
    const { guilds, store } = setup();
    await guilds.entries.add(A, MOD, STUDY_GROUP);
    expect((await guilds.questions.askInChannel(A, MEMBER_ID, 'hey, when does the study group meet?', null)).answered).toBe(true);
    expect((await guilds.questions.askInChannel(B, MEMBER_ID, 'hey, when does the study group meet?', null)).answered).toBe(false);
    await guilds.questions.askInChannel(A, MEMBER_ID, 'finally finished my first kaggle notebook today', null);
    expect(await guilds.questions.stats(A)).toMatchObject({ questions30d: 1, answered30d: 1 });
    expect(await guilds.questions.stats(B)).toMatchObject({ questions30d: 1, answered30d: 0 });
    expect((await store.recentQuestions(A, NOW)).map((q) => q.passageIds)).toEqual([['faq:1']]);
  });

  it('records /ask questions for the server’s stats only, and none asked outside a server', async () => {
    const { guilds } = setup();
    await guilds.questions.ask(A, MEMBER_ID, 'what is data drift');
    await guilds.questions.ask(null, MEMBER_ID, 'what is data drift');
    expect((await guilds.questions.stats(A)).questions30d).toBe(1);
    expect((await guilds.questions.stats(B)).questions30d).toBe(0);
  });

  it('autocompletes the server’s entries in that server only', async () => {
    const { guilds } = setup();
    await guilds.entries.add(A, MOD, STUDY_GROUP);
    expect(await guilds.questions.suggest(A, 'study gro')).toContain(STUDY_GROUP.title);
    expect(await guilds.questions.suggest(B, 'study gro')).not.toContain(STUDY_GROUP.title);
  });

  it('answers from the shared knowledge base when the server’s entries cannot be read, and logs why', async () => {
    const store = testStore(() => NOW);
    const { logger, lines } = capturingLogger();
    const broken = new Proxy(store, {
      get: (target, key) =>
        key === 'guildEntries'
          ? () => {
              throw new Error('disk on fire');
            }
          : Reflect.get(target, key),
    });
    const guilds = testGuilds(engine, broken, { logger });
    expect((await guilds.questions.ask(A, MEMBER_ID, 'what is data drift')).answered).toBe(true);
    expect(lines().some((line) => line.msg === "could not read this server's entries; answering from the shared knowledge base")).toBe(true);
  });

  it('indexes the server again for a reloaded knowledge base', async () => {
    const store = testStore(() => NOW);
    let current = engine;
    const guilds = createGuilds({
      engine: () => current,
      store,
      questionLog: testQuestionLog(store),
      discord: fakeDiscord(),
      dailyTips: { refresh: () => undefined },
      logger: capturingLogger().logger,
      now: () => NOW,
    });
    await guilds.entries.add(A, MOD, STUDY_GROUP);
    expect((await guilds.questions.ask(A, MEMBER_ID, STUDY_QUESTION)).answered).toBe(true);
    current = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
    expect((await guilds.questions.ask(A, MEMBER_ID, STUDY_QUESTION)).answered).toBe(true);
  });
});

describe('the servers’ indexes', () => {
  it('keep the most recently asked within the budget, and index a server again when it is asked after', async () => {
    const store = testStore(() => NOW);
    const reads: string[] = [];
    const counting = new Proxy(store, {
      get: (target, key) => (key === 'guildEntries' ? (guildId: string) => (reads.push(guildId), target.guildEntries(guildId)) : Reflect.get(target, key)),
    });
    const C = '100000000000000003';
    const guilds = createGuilds({ engine: () => engine, store: counting, questionLog: testQuestionLog(store), discord: fakeDiscord(), dailyTips: { refresh: () => undefined }, logger: capturingLogger().logger, now: () => NOW, indexBudget: 2 });
    for (const guildId of [A, B, C]) await guilds.entries.add(guildId, MOD, STUDY_GROUP);
    const asked = async (guildId: string) => (await guilds.questions.ask(guildId, MEMBER_ID, STUDY_QUESTION)).answered;
    for (const guildId of [A, B, A, C, A, B]) expect(await asked(guildId)).toBe(true);
    // A stays (asked again before C came); B, the least recently asked, makes room for C and is read again.
    expect(reads).toEqual([A, B, C, B]);
  });
});

describe('the servers’ indexes built before their first questions', () => {
  const C = '100000000000000003';
  const D = '100000000000000004';
  const E = '100000000000000005';
  const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

  /** The server layer over a store whose reads of entries are counted and, for `held`, wait until released. */
  function warming(options: { budget?: number; held?: string; broken?: 'list' | 'entries' } = {}) {
    const store = testStore(() => NOW);
    const { logger, lines } = capturingLogger();
    const reads: string[] = [];
    let reading = () => undefined as void;
    const readStarted = new Promise<void>((resolve) => (reading = resolve));
    let release = () => undefined as void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const watched = new Proxy(store, {
      get: (target, key) => {
        if (key === 'guildsWithOwnKnowledge' && options.broken === 'list') return () => Promise.reject(new Error('disk on fire'));
        if (key !== 'guildEntries') return Reflect.get(target, key);
        return async (guildId: string) => {
          reads.push(guildId);
          if (options.broken === 'entries') throw new Error('disk on fire');
          const entries = await target.guildEntries(guildId);
          if (guildId === options.held) {
            reading();
            await released;
          }
          return entries;
        };
      },
    });
    const guilds = createGuilds({ engine: () => engine, store: watched, questionLog: testQuestionLog(store), discord: fakeDiscord(), dailyTips: { refresh: () => undefined }, logger, now: () => NOW, indexBudget: options.budget ?? 20 });
    const editor = { member: store.memberHash(MOD.userId), name: MOD.name };
    const write = async (guildId: string, titles: string[], editedAt: Date) => {
      const changes = titles.map((title) => ({ title, questions: [], answer: `${title}: every Thursday at 18:00 UTC in the voice channel.`, link: null, editor, editedAt }));
      expect((await store.saveGuildEntries(guildId, changes, { maxEntries: MAX_ENTRIES, sameTitle: 'refuse' })).ok).toBe(true);
    };
    const fromEntry = async (guildId: string, question: string) => (await guilds.questions.ask(guildId, MEMBER_ID, question)).passages[0]?.id.startsWith('faq:') ?? false;
    return { store, guilds, reads, lines, readStarted, release, write, fromEntry };
  }

  it('index the most recently active servers the budget has room for, and let them go before any server asked since', async () => {
    const { guilds, reads, write, fromEntry } = warming({ budget: 3 });
    await write(A, ['When does the study group meet?'], hoursAgo(2));
    await write(B, ['When does the book club meet?'], hoursAgo(1));
    await write(C, ['When does the paper reading meet?', 'Where are the slides?'], hoursAgo(3));
    expect(await guilds.warmUp()).toMatchObject({ servers: 2, entriesAndPhrasings: 2 });
    expect(reads).toEqual([B, A]);

    // D and E have no entries and take one each: the first to go is A, warmed and less active than B.
    await guilds.questions.ask(D, MEMBER_ID, 'what is data drift');
    await guilds.questions.ask(E, MEMBER_ID, 'what is data drift');
    expect(await fromEntry(B, 'when does the book club meet?')).toBe(true);
    expect(reads).toEqual([B, A, D, E]);
    expect(await fromEntry(A, 'when does the study group meet?')).toBe(true);
    expect(reads).toEqual([B, A, D, E, A]);
  });

  it('index only the servers this process serves, and none it already has', async () => {
    const { guilds, reads, write } = warming();
    await write(A, ['When does the study group meet?'], hoursAgo(2));
    await write(B, ['When does the book club meet?'], hoursAgo(1));
    await guilds.questions.ask(A, MEMBER_ID, 'what is data drift');
    expect(await guilds.warmUp({ serves: (guildId) => guildId !== B })).toMatchObject({ servers: 0 });
    expect(reads).toEqual([A]);
  });

  it('keep no index read before a change made meanwhile', async () => {
    const { guilds, reads, readStarted, release, write, fromEntry } = warming({ held: A });
    await write(A, ['When does the study group meet?'], hoursAgo(1));
    const warmUp = guilds.warmUp();
    await readStarted;
    expect((await guilds.entries.add(A, MOD, { title: 'Where are the slides?', questions: 'where can i find the slides', answer: 'In the pinned message of the study channel.', link: '' })).ok).toBe(true);
    release();
    expect(await warmUp).toMatchObject({ servers: 0 });
    expect(await fromEntry(A, 'where can i find the slides')).toBe(true);
    expect(reads).toEqual([A, A]);
  });

  it('share a build with a question asked while it is under way', async () => {
    const { guilds, reads, readStarted, release, write } = warming({ held: A });
    await write(A, ['When does the study group meet?'], hoursAgo(1));
    const warmUp = guilds.warmUp();
    await readStarted;
    const answer = guilds.questions.ask(A, MEMBER_ID, STUDY_QUESTION);
    release();
    expect((await answer).passages[0]?.id).toBe('faq:1');
    expect(await warmUp).toMatchObject({ servers: 1 });
    expect(reads).toEqual([A]);
  });

  it('log a store that fails and stop, without failing, each server then indexed on its first question', async () => {
    for (const broken of ['list', 'entries'] as const) {
      const { guilds, lines, write } = warming({ broken });
      await write(A, ['When does the study group meet?'], hoursAgo(2));
      await write(B, ['When does the book club meet?'], hoursAgo(1));
      expect(await guilds.warmUp()).toMatchObject({ servers: 0 });
      expect(lines().filter((line) => line.level === 50)).toHaveLength(1);
      expect((await guilds.questions.ask(A, MEMBER_ID, 'what is data drift')).answered).toBe(true);
    }
  });

  it('index again for a reloaded knowledge base, in the room the old engine’s indexes took', async () => {
    const store = testStore(() => NOW);
    let current = engine;
    const guilds = createGuilds({ engine: () => current, store, questionLog: testQuestionLog(store), discord: fakeDiscord(), dailyTips: { refresh: () => undefined }, logger: capturingLogger().logger, now: () => NOW, indexBudget: 1 });
    await guilds.entries.add(A, MOD, STUDY_GROUP);
    expect(await guilds.warmUp()).toMatchObject({ servers: 1 });
    current = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
    expect(await guilds.warmUp()).toMatchObject({ servers: 1 });
  });

  it('stop between servers when told to', async () => {
    const { guilds, reads, write } = warming();
    await write(A, ['When does the study group meet?'], hoursAgo(2));
    await write(B, ['When does the book club meet?'], hoursAgo(1));
    const stopping = new AbortController();
    const warmUp = guilds.warmUp({ signal: stopping.signal });
    stopping.abort();
    expect(await warmUp).toMatchObject({ servers: 0 });
    expect(reads).toEqual([]);
  });
});

describe('server entries', () => {
  it('are validated, every problem named', async () => {
    const { guilds } = setup();
    const outcome = await guilds.entries.add(A, MOD, { title: ' ', questions: 'x'.repeat(201), answer: 'y'.repeat(1501), link: 'not a link' });
    expect(outcome).toEqual({
      ok: false,
      problem: 'invalid',
      issues: ['the title is empty', 'a question is longer than 200 characters', 'the answer is longer than 1,500 characters', 'the link is not a web address (https://…)'],
    });
    expect(await guilds.entries.list(A)).toEqual([]);
  });

  it('take an edit or a removal into account at once', async () => {
    const { guilds } = setup();
    await guilds.entries.add(A, MOD, STUDY_GROUP);
    expect((await guilds.questions.ask(A, MEMBER_ID, 'is the reading club on fridays')).answered).toBe(false);
    const edited = await guilds.entries.edit(A, 1, { userId: '400000000000000002', name: 'other-mod' }, { ...STUDY_GROUP, title: 'When does the reading club meet?', questions: 'is the reading club on fridays', link: '' });
    expect(edited).toMatchObject({ ok: true, entry: { title: 'When does the reading club meet?', link: null, editedBy: 'other-mod' } });
    const answer = await guilds.questions.ask(A, MEMBER_ID, 'is the reading club on fridays');
    expect(answer.passages[0]).toMatchObject({ id: 'faq:1', sources: [{ text: "From this server's FAQ, last edited by other-mod on 2026-11-23" }] });
    expect(await guilds.entries.remove(A, 1)).toMatchObject({ id: 1 });
    expect((await guilds.questions.ask(A, MEMBER_ID, 'is the reading club on fridays')).answered).toBe(false);
    expect(await guilds.entries.remove(A, 1)).toBeUndefined();
  });

  it('refuse a second entry of the same title, and one past the limit', async () => {
    const { guilds, store } = setup();
    await guilds.entries.add(A, MOD, STUDY_GROUP);
    expect(await guilds.entries.add(A, MOD, { ...STUDY_GROUP, title: STUDY_GROUP.title.toUpperCase() })).toEqual({ ok: false, problem: 'title-taken', title: STUDY_GROUP.title.toUpperCase() });
    const editor = { member: store.memberHash(MOD.userId), name: 'mod' };
    const many = Array.from({ length: MAX_ENTRIES - 1 }, (_, i) => ({ title: `Entry ${i}`, questions: [], answer: 'An answer.', link: null, editor, editedAt: NOW }));
    expect((await store.saveGuildEntries(A, many, { maxEntries: MAX_ENTRIES, sameTitle: 'refuse' })).ok).toBe(true);
    expect(await guilds.entries.add(A, MOD, { ...STUDY_GROUP, title: 'One too many' })).toEqual({ ok: false, problem: 'limit', limit: MAX_ENTRIES });
    expect((await guilds.entries.add(B, MOD, { ...STUDY_GROUP, title: 'One too many' })).ok).toBe(true);
  });

  it('are found by id or title, and matched by what was typed', async () => {
    const { guilds } = setup();
    await guilds.entries.add(A, MOD, STUDY_GROUP);
    expect((await guilds.entries.find(A, '1'))?.title).toBe(STUDY_GROUP.title);
    expect((await guilds.entries.find(A, STUDY_GROUP.title.toLowerCase()))?.id).toBe(1);
    expect(await guilds.entries.find(B, '1')).toBeUndefined();
    expect((await guilds.entries.matching(A, 'STUDY')).map((e) => e.id)).toEqual([1]);
  });

  it('export as a knowledge-base file that imports back to the same entries', async () => {
    const { guilds } = setup();
    await guilds.entries.add(A, MOD, STUDY_GROUP);
    await guilds.entries.add(A, MOD, { title: 'Which channel is for C#?', questions: '', answer: '## Not a heading\nUse #dotnet.\n\nLink: kept as text, not a link', link: '' });
    const file = await guilds.entries.export(A);
    expect(file).toContain('---\ntitle: Server FAQ\ntopic: server-faq\nsources: [server-faq]\nreviewed: 2026-11-23\n---');
    expect(file).toContain('## When does the study group meet?\n<!-- asked:\n- what time is the weekly study session\n- is there a study group\n-->');
    expect(await guilds.entries.import(B, MOD, Buffer.from(file), 'server-faq.md')).toEqual({ ok: true, added: 2, updated: 0 });
    const content = async (guildId: string) => (await guilds.entries.list(guildId)).map(({ title, questions, answer, link }) => ({ title, questions, answer, link }));
    expect(content(B)).toEqual(content(A));
    expect(await guilds.entries.import(B, MOD, Buffer.from(file), 'server-faq.md')).toEqual({ ok: true, added: 0, updated: 2 });
  });

  it('import nothing from a file with a problem, naming each line', async () => {
    const { guilds } = setup();
    await guilds.entries.add(A, MOD, STUDY_GROUP);
    const broken = ['---', 'title: Server FAQ', 'topic: server-faq', 'sources: [server-faq]', 'reviewed: 2026-11-23', '---', '', '## New entry', 'A fine answer.', '', '## Study group', `${'x'.repeat(1501)}`, '', '## New entry', 'Again.', '', '## Empty'].join('\n');
    const outcome = await guilds.entries.import(A, MOD, Buffer.from(broken), 'faq.md');
    expect(outcome).toEqual({
      ok: false,
      problem: 'invalid-file',
      problems: [
        { file: 'faq.md', line: 11, message: 'entry “Study group”: the answer is longer than 1,500 characters' },
        { file: 'faq.md', line: 14, message: 'entry “New entry” is already in the file, at line 8' },
        { file: 'faq.md', line: 17, message: 'entry “Empty”: the answer is empty' },
      ],
    });
    expect((await guilds.entries.list(A)).map((e) => e.title)).toEqual([STUDY_GROUP.title]);
    expect(await guilds.entries.import(A, MOD, Buffer.from('## No front matter\nText.'), 'faq.md')).toMatchObject({ problems: [{ line: 1, message: expect.stringContaining('front matter') }] });
    expect(await guilds.entries.import(A, MOD, Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff]), 'faq.md')).toMatchObject({ problems: [{ line: 2, message: 'is not valid UTF-8' }] });
  });

  it('lose their editor’s name in answers at once when the editor is forgotten', async () => {
    const { guilds } = setup();
    await guilds.entries.add(A, MOD, STUDY_GROUP);
    expect((await guilds.questions.ask(A, MEMBER_ID, STUDY_QUESTION)).passages[0]!.sources[0]!.text).toContain('edited by mod');
    await guilds.forgetMember(MOD.userId);
    expect((await guilds.questions.ask(A, MEMBER_ID, STUDY_QUESTION)).passages[0]!.sources[0]!.text).toContain('edited by a former member');
  });
});

describe('teaching from the gaps', () => {
  async function declinedIn(guilds: ReturnType<typeof setup>['guilds'], guildId: string, question = DECLINED) {
    expect((await guilds.questions.ask(guildId, MEMBER_ID, question)).answered).toBe(false);
    await guilds.questions.stats(guildId);
  }

  it('lists a server’s declined questions, offers the nearby topics, and teaches one, in that server only', async () => {
    const { guilds } = setup();
    await declinedIn(guilds, A);
    await declinedIn(guilds, A);
    const [declined] = await guilds.teaching.declined(A);
    expect(declined).toEqual({ key: questionKey(DECLINED), question: DECLINED, count: 2 });
    expect(await guilds.teaching.declined(B)).toEqual([]);
    expect((await guilds.teaching.topicsNear(A, DECLINED)).map((t) => t.ref)).toContain(topicRef(SALARY_INDIA));

    const outcome = await guilds.teaching.teach(A, declined!.key, topicRef(SALARY_INDIA));
    expect(outcome).toMatchObject({ ok: true, question: DECLINED, title: expect.stringContaining('India'), answer: { answered: true } });
    expect((await guilds.questions.ask(A, MEMBER_ID, DECLINED)).passages[0]!.id).toBe(SALARY_INDIA);
    expect((await guilds.questions.ask(B, MEMBER_ID, DECLINED)).answered).toBe(false);
    expect(await guilds.teaching.declined(A)).toEqual([]);
    expect(await guilds.teaching.taught(A)).toMatchObject([{ phrasing: DECLINED, passageId: SALARY_INDIA, title: expect.stringContaining('India') }]);
    expect(await guilds.teaching.taught(B)).toEqual([]);
  });

  it('teaches a question to one of the server’s entries, found with the search box', async () => {
    const { guilds } = setup();
    await guilds.entries.add(A, MOD, STUDY_GROUP);
    await declinedIn(guilds, A, 'is there a monthly meetup for learners');
    const [declined] = await guilds.teaching.declined(A);
    const [found] = await guilds.teaching.searchTopics(A, 'study group');
    expect(found).toEqual({ ref: 'faq:1', title: STUDY_GROUP.title });
    expect(await guilds.teaching.teach(A, declined!.key, found!.ref)).toMatchObject({ ok: true, answer: { answered: true } });
    expect((await guilds.questions.ask(A, MEMBER_ID, 'is there a monthly meetup for learners')).passages[0]!.id).toBe('faq:1');
    await guilds.entries.remove(A, 1);
    expect(await guilds.teaching.taught(A)).toEqual([]);
  });

  it('forgets a taught question on request', async () => {
    const { guilds } = setup();
    await declinedIn(guilds, A);
    await guilds.teaching.teach(A, questionKey(DECLINED), topicRef(SALARY_INDIA));
    expect(await guilds.teaching.unteach(B, DECLINED)).toBe(false);
    expect(await guilds.teaching.unteach(A, DECLINED.toUpperCase())).toBe(true);
    expect((await guilds.questions.ask(A, MEMBER_ID, DECLINED)).answered).toBe(false);
  });

  it('refuses what it cannot teach: a question no longer logged, a topic that is gone, past the limit', async () => {
    const { guilds, store } = setup();
    await declinedIn(guilds, A);
    expect(await guilds.teaching.teach(A, questionKey('never asked'), topicRef(SALARY_INDIA))).toEqual({ ok: false, problem: 'question-gone' });
    expect(await guilds.teaching.teach(B, questionKey(DECLINED), topicRef(SALARY_INDIA))).toEqual({ ok: false, problem: 'question-gone' });
    expect(await guilds.teaching.teach(A, questionKey(DECLINED), 'faq:9')).toEqual({ ok: false, problem: 'topic-gone' });
    const full = testGuilds(engine, new Proxy(store, { get: (target, key) => (key === 'teach' ? async () => false : Reflect.get(target, key)) }), { now: () => NOW });
    expect(await full.teaching.teach(A, questionKey(DECLINED), topicRef(SALARY_INDIA))).toEqual({ ok: false, problem: 'limit', limit: 2000 });
  });

  it('exports every server’s phrasings for the shared passages, once each, naming no server', async () => {
    const { guilds } = setup();
    expect(await guilds.teaching.exportAll()).toBeUndefined();
    for (const guildId of [A, B]) {
      await declinedIn(guilds, guildId);
      await guilds.teaching.teach(guildId, questionKey(DECLINED), topicRef(SALARY_INDIA));
    }
    await guilds.entries.add(A, MOD, STUDY_GROUP);
    await declinedIn(guilds, A, 'is there a monthly meetup for learners');
    await guilds.teaching.teach(A, questionKey('is there a monthly meetup for learners'), 'faq:1');
    const exported = (await guilds.teaching.exportAll())!;
    expect(exported).toMatchObject({ phrasings: 1, servers: 2 });
    expect(exported.text).toMatch(/## ml-engineer-salary\.md:\d+ › .*India.*\n<!-- asked:\n- how much rupees does an ML fresher get in pune\n-->/);
    expect(exported.text).not.toContain('meetup');
    expect(exported.text).not.toContain(A);
  });
});

describe('settings', () => {
  it('watch a channel the bot can post in, and say why not otherwise', async () => {
    const store = testStore(() => NOW);
    const guilds = testGuilds(engine, store, { discord: fakeDiscord({ '300000000000000002': 'I am missing the SendMessages permission there.' }) });
    expect(await guilds.settings.watchChannel(A, '300000000000000001')).toMatchObject({ ok: true, settings: { watchedChannelIds: ['300000000000000001'] } });
    expect(await guilds.settings.watchChannel(A, '300000000000000002')).toEqual({ ok: false, field: 'channel', problem: 'I am missing the SendMessages permission there.' });
    expect((await guilds.settings.of(B)).watchedChannelIds).toEqual([]);
    expect(await guilds.settings.unwatchChannel(A, '300000000000000001')).toBe(true);
    expect(await guilds.settings.unwatchChannel(A, '300000000000000001')).toBe(false);
  });

  it('refuse values out of range whoever asks', async () => {
    const { guilds } = setup();
    await expect(guilds.settings.setConfidence(A, 5)).rejects.toThrow();
    await expect(guilds.settings.setRetention(A, 0)).rejects.toThrow();
    await expect(guilds.settings.watchChannel(A, 'general')).rejects.toThrow();
    expect((await guilds.settings.setConfidence(A, 75)).minConfidence).toBe(0.75);
    expect((await guilds.settings.setConfidence(A, undefined)).minConfidence).toBeNull();
  });

  it('set daily tips, naming what was wrong, and tell the scheduler', async () => {
    const refreshed: string[] = [];
    const guilds = testGuilds(engine, testStore(() => NOW), { dailyTips: { refresh: (guildId) => void refreshed.push(guildId) }, now: () => NOW });
    expect(await guilds.settings.setTips(A, { channelId: '300000000000000001', time: '25:00', timeZone: 'Europe/Berlin' })).toMatchObject({ ok: false, field: 'time' });
    expect(await guilds.settings.setTips(A, { channelId: '300000000000000001', time: '9:30', timeZone: 'Mars/Olympus' })).toMatchObject({ ok: false, field: 'timeZone' });
    expect(refreshed).toEqual([]);
    expect(await guilds.settings.setTips(A, { channelId: '300000000000000001', time: '9:30', timeZone: 'europe/berlin' })).toMatchObject({ ok: true, settings: { tips: { time: '09:30', timeZone: 'Europe/Berlin', enabled: true } } });
    expect((await guilds.settings.tipStatus(A)).next).toEqual(new Date('2026-11-24T08:30:00Z'));
    await guilds.settings.tipsOff(A);
    expect(await guilds.settings.tipStatus(A)).toMatchObject({ tips: { enabled: false }, last: undefined });
    expect((await guilds.settings.tipStatus(A)).next).toBeUndefined();
    expect(refreshed).toEqual([A, A]);
  });
});

describe('changes made by other processes (shards)', () => {
  function withFeed() {
    const store = testStore(() => NOW);
    const published: Change[] = [];
    const listeners: ((change: Change) => void)[] = [];
    const changes: ChangeFeed = { publish: (change) => published.push(change), subscribe: (listener) => listeners.push(listener) };
    const logger = capturingLogger().logger;
    const guilds = createGuilds({ engine: () => engine, store, questionLog: testQuestionLog(store), discord: fakeDiscord(), dailyTips: { refresh: () => undefined }, logger, now: () => NOW, changes });
    return { store, guilds, published, hear: (change: Change) => listeners.forEach((listener) => listener(change)) };
  }

  it('keep a server’s settings until another process says it changed them, and tell the others of this one’s', async () => {
    const { store, guilds, published, hear } = withFeed();
    expect((await guilds.settings.of(A)).autoAnswer).toBe(true);
    await store.updateSettings(A, (s) => ({ ...s, autoAnswer: false }));
    expect((await guilds.settings.of(A)).autoAnswer).toBe(true);
    hear({ kind: 'settings', guildId: A });
    expect((await guilds.settings.of(A)).autoAnswer).toBe(false);
    await guilds.settings.setAutoAnswer(A, true);
    expect(published).toEqual([{ kind: 'settings', guildId: A }]);
  });

  it('keep no settings read while they were being changed', async () => {
    const { store, guilds, hear } = withFeed();
    const reading = guilds.settings.of(A);
    await store.updateSettings(A, (s) => ({ ...s, retentionDays: 7 }));
    hear({ kind: 'settings', guildId: A });
    await reading;
    expect((await guilds.settings.of(A)).retentionDays).toBe(7);
  });

  it('index a server’s entries again when another process changed them, and tell the others of this one’s', async () => {
    const { store, guilds, published, hear } = withFeed();
    const fromEntry = async () => (await guilds.questions.ask(A, MEMBER_ID, STUDY_QUESTION)).passages[0]?.id.startsWith('faq:') ?? false;
    expect(await fromEntry()).toBe(false);
    const editor = { member: store.memberHash(MOD.userId), name: MOD.name };
    await store.saveGuildEntries(A, [{ title: STUDY_GROUP.title, questions: [], answer: STUDY_GROUP.answer, link: null, editor, editedAt: NOW }], { maxEntries: 5, sameTitle: 'refuse' });
    expect(await fromEntry()).toBe(false);
    hear({ kind: 'server-knowledge', guildId: A });
    expect(await fromEntry()).toBe(true);

    await store.removeGuildEntry(A, 1, 'faq:1');
    expect(await fromEntry()).toBe(true);
    hear({ kind: 'every-server-knowledge' });
    expect(await fromEntry()).toBe(false);

    await guilds.entries.add(B, MOD, STUDY_GROUP);
    await guilds.forgetMember(MOD.userId);
    expect(published).toEqual([{ kind: 'server-knowledge', guildId: B }, { kind: 'every-server-knowledge' }]);
  });
});
