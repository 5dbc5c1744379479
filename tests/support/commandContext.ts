import { Writable } from 'node:stream';
import type { Engine } from '../../src/answering/engine.js';
import type { CommandContext, CommandModule, Invoker } from '../../src/bot/command.js';
import { createLogger, type Logger } from '../../src/logger.js';

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

export function testContext(engine: Engine, commands: readonly CommandModule[], overrides: Partial<CommandContext> = {}): CommandContext {
  return { engine, commands, logger: capturingLogger().logger, now: () => new Date('2026-11-23T12:00:00Z'), random: () => 0, ...overrides };
}

export const MEMBER: Invoker = { userId: '111111111111111111', username: 'learner', guildId: '222222222222222222', channelId: '333333333333333333', canManageServer: false };
export const MODERATOR: Invoker = { ...MEMBER, userId: '444444444444444444', username: 'mod', canManageServer: true };
