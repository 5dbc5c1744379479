import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { onTestFinished } from 'vitest';
import type { Engine } from '../../src/answering/engine.js';
import type { CommandContext, CommandModule, DiscordAccess, Invoker } from '../../src/bot/command.js';
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
  onTestFinished(() => {
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return store;
}

/** Discord as a handler sees it: every channel postable unless listed, Message Content granted. */
export function fakeDiscord(blocked: Record<string, string> = {}, readsMessages = true): DiscordAccess {
  return {
    channelAccess: (_guildId, channelId) => (blocked[channelId] ? { ok: false, problem: blocked[channelId] } : { ok: true }),
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

export function testContext(engine: Engine, commands: readonly CommandModule[], overrides: Partial<CommandContext> = {}): CommandContext {
  const store = overrides.store ?? testStore();
  return {
    engine,
    commands,
    logger: capturingLogger().logger,
    store,
    questionLog: testQuestionLog(store),
    discord: fakeDiscord(),
    dailyTips: { refresh: () => undefined },
    botOwnerIds: new Set(),
    reloadKnowledge: async () => ({ ok: true, engine }),
    drawStatsChart: async () => PNG_SIGNATURE,
    now: () => new Date('2026-11-23T12:00:00Z'),
    random: () => 0,
    ...overrides,
  };
}

export const MEMBER: Invoker = { userId: '111111111111111111', username: 'learner', guildId: '222222222222222222', channelId: '333333333333333333', canManageServer: false };
export const MODERATOR: Invoker = { ...MEMBER, userId: '444444444444444444', username: 'mod', canManageServer: true };
