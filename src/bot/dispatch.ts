import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { isStoreUnavailable } from '../storage/storeError.js';
import { cutToLength } from '../text/cut.js';
import { pressAnswerButton, type ButtonOutcome, type ButtonPress } from './answerButtons.js';
import type { Choice, CommandContext, CommandModule, Invoker } from './command.js';
import type { Cooldown } from './cooldown.js';
import { DISCORD_LIMITS, ephemeralText, fitToDiscordLimits, type Reply } from './reply.js';

/** A slash command as Discord delivered it, reduced to plain data. */
export interface CommandRequest {
  name: string;
  /** "sub" or "group sub", when the command has subcommands. */
  subcommand?: string;
  options: Record<string, string | number | boolean>;
  invoker: Invoker;
}

export interface Dispatcher {
  find(name: string): CommandModule | undefined;
  run(request: CommandRequest): Promise<Reply>;
  autocomplete(name: string, focused: { name: string; value: string }): Choice[];
  /** A press on one of the buttons under a posted answer. */
  button(press: ButtonPress): ButtonOutcome;
  /** The visibility a reply will have, for deferring before it is ready. */
  isEphemeral(request: CommandRequest): boolean;
}

/** A short id a member can quote and a moderator can find in the log. */
export const newErrorId = () => randomUUID().slice(0, 8);

export function errorReply(errorId: string): Reply {
  return ephemeralText(`Sorry, something went wrong while answering. If it keeps happening, give a moderator this error id: \`${errorId}\`.`);
}

/** A handler or button that failed: said plainly when the database refused a write (busy, locked, full), else an error id. */
function failureReply(logger: Logger, error: unknown, what: string, fields: Record<string, string>): Reply {
  if (isStoreUnavailable(error)) {
    logger.warn({ err: error, ...fields }, `${what}: the database refused a write`);
    return ephemeralText('Not saved: my database is busy or full right now, so nothing changed. Try again in a minute.');
  }
  const errorId = newErrorId();
  logger.error({ err: error, errorId, ...fields }, what);
  return errorReply(errorId);
}

/**
 * Runs commands: finds the handler, checks Manage Server and the cooldown, validates the options, and turns
 * every failure into a short private reply. It never throws, so one bad interaction cannot stop the bot.
 */
export function createDispatcher(context: CommandContext, cooldown: Cooldown): Dispatcher {
  const byName = new Map(context.commands.map((c) => [c.definition.name, c]));
  const parse = (command: CommandModule, request: CommandRequest) =>
    command.options.safeParse({ ...request.options, ...(request.subcommand ? { subcommand: request.subcommand } : {}) });

  async function run(request: CommandRequest): Promise<Reply> {
    const command = byName.get(request.name);
    if (!command) {
      context.logger.warn({ command: request.name }, 'unknown command');
      return ephemeralText('I do not know that command any more: Discord may still be showing an old list. Try again in a minute, or see `/help`.');
    }
    if (command.moderatorOnly && !request.invoker.canManageServer) {
      return ephemeralText('Only members with the **Manage Server** permission can use this command.');
    }
    const parsed = parse(command, request);
    if (!parsed.success) {
      context.logger.warn({ command: request.name, problem: z.prettifyError(parsed.error) }, 'options did not match the command');
      return ephemeralText('That command looks out of date (its options have changed). Try again in a minute, or see `/help`.');
    }
    if (command.rateLimited) {
      const verdict = cooldown.take(request.invoker.userId);
      if (!verdict.allowed) {
        const at = Math.ceil(verdict.retryAt.getTime() / 1000);
        return ephemeralText(`You are asking quickly: try again <t:${at}:R>.`);
      }
    }
    try {
      return fitToDiscordLimits(await command.handle({ options: parsed.data, invoker: request.invoker }, context));
    } catch (error) {
      return failureReply(context.logger, error, 'command failed', { command: request.name });
    }
  }

  return {
    find: (name) => byName.get(name),
    run,
    autocomplete(name, focused) {
      const command = byName.get(name);
      if (!command?.autocomplete) return [];
      try {
        return command
          .autocomplete(focused, context)
          .slice(0, DISCORD_LIMITS.choices)
          .map((c) => ({ name: cutToLength(c.name, DISCORD_LIMITS.choiceName), value: cutToLength(c.value, DISCORD_LIMITS.choiceValue) }))
          .filter((c) => c.name.length > 0 && c.value.length > 0);
      } catch (error) {
        context.logger.error({ err: error, errorId: newErrorId(), command: name }, 'autocomplete failed');
        return [];
      }
    },
    button(press) {
      try {
        return pressAnswerButton(press, context.store);
      } catch (error) {
        return { kind: 'reply', reply: failureReply(context.logger, error, 'button failed', { button: press.customId }) };
      }
    },
    isEphemeral(request) {
      const command = byName.get(request.name);
      if (!command) return true;
      const parsed = parse(command, request);
      return parsed.success ? command.ephemeral(parsed.data) : true;
    },
  };
}
