import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../../src/answering/engine.js';
import { COMMANDS } from '../../commands/index.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { createDispatcher, type CommandRequest } from '../../src/bot/dispatch.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/knowledge/loader.js';
import type { QuestionRecord, Store } from '../../src/storage/store.js';
import { capturingLogger, MEMBER, MODERATOR, testContext, testQuestionLog, testStore } from '../support/commandContext.js';

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
});

const WRITES = new Set<string | symbol>([
  'updateSettings',
  'setOptedOut',
  'recordAnswer',
  'deleteAnswer',
  'vote',
  'logQuestions',
  'logQuestion',
  'purgeExpiredQuestions',
  'forgetMember',
  'claimTipDay',
  'markTipPost',
  'startNewTipRound',
  'saveGuildEntries',
  'removeGuildEntry',
  'teach',
  'unteach',
]);

/** A real store on a disk that fills up and frees again: every write throws SQLITE_FULL while `disk.full`. */
function storeOnDisk(disk: { full: boolean }): Store {
  const store = testStore();
  const full = () => {
    throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
  };
  return new Proxy(store, { get: (target, key) => (disk.full && WRITES.has(key) ? full : Reflect.get(target, key)) });
}

function question(store: Store, text: string): QuestionRecord {
  return {
    guildId: MEMBER.guildId!,
    asker: store.memberHash(MEMBER.userId),
    question: text,
    answered: true,
    confidence: 0.9,
    unmatchedTerms: [],
    passageIds: [],
    via: 'slash',
    askedAt: new Date('2026-11-23T12:00:00Z'),
  };
}

const questionsThisWeek = async (store: Store) => (await store.knowledgeStats(MEMBER.guildId!, new Date('2026-11-23T12:00:00Z'))).questions7d;

describe('a full disk', () => {
  it('still answers /ask, records the question once the disk has room again, and says plainly that a setting was not saved', async () => {
    const disk = { full: true };
    const store = storeOnDisk(disk);
    const { logger, lines } = capturingLogger();
    const context = testContext(engine, COMMANDS, { store, logger, questionLog: testQuestionLog(store, logger) });
    const dispatcher = createDispatcher(context, new Cooldown(100, 60_000));
    const run = (name: string, options: CommandRequest['options'], invoker = MEMBER, subcommand?: string) =>
      dispatcher.run({ name, ...(subcommand ? { subcommand } : {}), options, invoker });

    const answer = await run('ask', { question: 'what is data drift' });
    expect(answer.embeds?.[0]?.title).toMatch(/drift/i);
    expect((await run('ask', { question: 'how do i bake bread' })).embeds?.[0]?.title).toBe('Not covered in the knowledge base');

    const notSaved = await run('config', { enabled: false }, MODERATOR, 'auto-answer');
    expect(notSaved).toEqual({ ephemeral: true, content: expect.stringMatching(/^Not saved: .*Try again/) });

    expect(await context.questionLog.flush()).toBe(false);
    disk.full = false;
    expect(await context.questionLog.flush()).toBe(true);
    expect(await questionsThisWeek(store)).toBe(2);
    const warnings = lines().filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg).sort()).toEqual(['command failed: the database refused a write', 'could not record questions; keeping them in memory and trying again']);
    expect(lines().filter((line) => (line.level as number) >= 50)).toEqual([]);
  });
});

describe('a full disk under a server’s own entries', () => {
  it('says plainly that an entry was not saved, and answers from the shared knowledge base meanwhile', async () => {
    const disk = { full: true };
    const store = storeOnDisk(disk);
    const { logger, lines } = capturingLogger();
    const dispatcher = createDispatcher(testContext(engine, COMMANDS, { store, logger }), new Cooldown(100, 60_000));
    const fields = { title: 'Study group', questions: '', answer: 'Thursdays at 18:00 UTC.', link: '' };
    const notSaved = await dispatcher.component({ customId: 'kb:add', values: [], fields, invoker: MODERATOR });
    expect(notSaved).toEqual({ ephemeral: true, content: expect.stringMatching(/^Not saved: .*Try again/) });
    expect(lines().filter((line) => line.level === 40).map((line) => line.msg)).toEqual(['component failed: the database refused a write']);
    expect((await dispatcher.run({ name: 'ask', options: { question: 'what is data drift' }, invoker: MEMBER })).embeds?.[0]?.title).toMatch(/drift/i);
  });
});

describe('the question log', () => {
  it('keeps a bounded queue while the database refuses writes, and says once that it drops questions', async () => {
    const disk = { full: true };
    const store = storeOnDisk(disk);
    const { logger, lines } = capturingLogger();
    const questionLog = testQuestionLog(store, logger, { capacity: 3 });
    for (const text of ['one', 'two', 'three', 'four', 'five']) questionLog.record(question(store, text));
    expect(await questionLog.flush()).toBe(false);
    disk.full = false;
    expect(await questionLog.flush()).toBe(true);
    expect(await questionsThisWeek(store)).toBe(3);
    expect(lines().filter((line) => String(line.msg).includes('not recorded'))).toHaveLength(1);
    expect(lines().at(-1)).toMatchObject({ msg: 'recording questions again', recorded: 3, dropped: 2 });
  });
});
