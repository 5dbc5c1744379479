import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { onTestFinished } from 'vitest';
import type { Engine } from '../../src/answering/engine.js';
import type { CommandContext, CommandModule, Invoker } from '../../src/bot/command.js';
import { createGuilds, type Guilds } from '../../src/guilds/guilds.js';
import type { DailyTipsControl, DiscordAccess, ForumTag } from '../../src/guilds/settings.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { QuestionLog, type QuestionLogOptions } from '../../src/storage/questionLog.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';
import type { Store } from '../../src/storage/store.js';

/** A logger whose JSON lines are kept for assertions. */
export function capturingLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    logger: createLogger({ level: 'debug', destination }),
    lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** A real SQLite store in a temporary directory, closed and removed when the current test finishes. */
export function testStore(now?: () => Date): Store {
  const dataDir = mkdtempSync(join(tmpdir(), 'ml-career-bot-test-'));
  const store = openSqliteStore({ dataDir, ...(now ? { now } : {}) });
  onTestFinished(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return store;
}

/**
 * Discord as a handler sees it: every channel usable unless `blocked` says why not, Message Content granted;
 * the channels in `forums` are forums, with their tags.
 */
export function fakeDiscord(blocked: Record<string, string> = {}, readsMessages = true, forums: Record<string, ForumTag[]> = {}): DiscordAccess {
  return {
    channelAccess: (_guildId, channelId) => (blocked[channelId] ? { ok: false, problem: blocked[channelId] } : { ok: true, forum: channelId in forums }),
    forumTags: (_guildId, forumId) => forums[forumId] ?? [],
    readsMessages: () => readsMessages,
  };
}

/** A question log over `store`, stopped when the current test finishes (before its store closes). */
export function testQuestionLog(store: Store, logger = capturingLogger().logger, options: QuestionLogOptions = {}): QuestionLog {
  const questionLog = new QuestionLog(store, logger, options);
  onTestFinished(() => questionLog.stop());
  return questionLog;
}

/** What the handlers' tests take for a chart: the bytes a PNG starts with (the chart's own tests draw real ones). */
export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** The server layer over a test's store, for code that takes it without a whole command context. */
export function testGuilds(engine: Engine, store: Store, options: { questionLog?: QuestionLog; discord?: DiscordAccess; dailyTips?: DailyTipsControl; logger?: Logger; now?: () => Date } = {}): Guilds {
  return createGuilds({
    engine: () => engine,
    store,
    questionLog: options.questionLog ?? testQuestionLog(store),
    discord: options.discord ?? fakeDiscord(),
    dailyTips: options.dailyTips ?? { refresh: () => undefined },
    logger: options.logger ?? capturingLogger().logger,
    now: options.now ?? (() => new Date('2026-11-23T12:00:00Z')),
  });
}

/** What the server layer of a test context is made with, besides the context's own store, logger and clock. */
export interface TestContextOptions extends Partial<CommandContext> {
  questionLog?: QuestionLog;
  discord?: DiscordAccess;
  dailyTips?: DailyTipsControl;
}

/** A handler's context over a real store, with its question log at hand for assertions. */
export function testContext(engine: Engine, commands: readonly CommandModule[], options: TestContextOptions = {}): CommandContext & { questionLog: QuestionLog } {
  const { questionLog: givenLog, discord, dailyTips, ...overrides } = options;
  const store = overrides.store ?? testStore();
  const logger = overrides.logger ?? capturingLogger().logger;
  const now = overrides.now ?? (() => new Date('2026-11-23T12:00:00Z'));
  const questionLog = givenLog ?? testQuestionLog(store);
  return {
    engine,
    guilds: testGuilds(engine, store, { questionLog, logger, now, ...(discord ? { discord } : {}), ...(dailyTips ? { dailyTips } : {}) }),
    commands,
    logger,
    store,
    botOwnerIds: new Set(),
    reloadKnowledge: async () => ({ ok: true, engine }),
    drawStatsChart: async () => PNG_SIGNATURE,
    download: async () => {
      throw new Error('this test uploads no files');
    },
    now,
    random: () => 0,
    ...overrides,
    questionLog,
  };
}

export const MEMBER: Invoker = { userId: '111111111111111111', username: 'learner', guildId: '222222222222222222', channelId: '333333333333333333', canManageServer: false };
export const MODERATOR: Invoker = { ...MEMBER, userId: '444444444444444444', username: 'mod', canManageServer: true };
