import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { isStoreUnavailable } from '../storage/storeError.js';
import { cutToLength } from '../text/cut.js';
import { pressAnswerButton, type ButtonOutcome, type ButtonPress } from './answerButtons.js';
import type { Choice, CommandContext, CommandModule, ComponentInput, Invoker, OptionValues } from './command.js';
import type { Cooldown } from './cooldown.js';
import { DISCORD_LIMITS, ephemeralText, fitToDiscordLimits, type Reply } from './reply.js';

/** A slash command as Discord delivered it, reduced to plain data. */
export interface CommandRequest {
  name: string;
  /** "sub" or "group sub", when the command has subcommands. */
  subcommand?: string;
  options: OptionValues;
  invoker: Invoker;
}

/** A command's component or form as Discord delivered it: its whole custom id, "command:…". */
export type ComponentRequest = ComponentInput;

export interface Dispatcher {
  find(name: string): CommandModule | undefined;
  run(request: CommandRequest): Promise<Reply>;
  /** `filled`: the options given so far, the focused one too. */
  autocomplete(name: string, focused: { name: string; value: string }, invoker: Invoker, filled?: OptionValues): Promise<Choice[]>;
  /** A press on one of the buttons under a posted answer. */
  button(press: ButtonPress): Promise<ButtonOutcome>;
  /** A command's button, select menu or form. */
  component(request: ComponentRequest): Promise<Reply>;
  /** The visibility a reply will have, for deferring before it is ready. */
  isEphemeral(request: CommandRequest): boolean;
  /** Whether the command answers with a form, which cannot follow an acknowledgement. */
  opensModal(request: CommandRequest): boolean;
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
    if (command.moderatorOnly && !request.invoker.canManageServer) return MODERATORS_ONLY;
    const parsed = parse(command, request);
    if (!parsed.success) {
      context.logger.warn({ command: request.name, problem: z.prettifyError(parsed.error) }, 'options did not match the command');
      return ephemeralText('That command looks out of date (its options have changed). Try again in a minute, or see `/help`.');
    }
    if (command.rateLimited) {
      // Per server: a server's interactions all reach the shard it is on, so the count needs no database.
      const verdict = cooldown.take(`${request.invoker.guildId ?? 'dm'}:${request.invoker.userId}`);
      if (!verdict.allowed) {
        const at = Math.ceil(verdict.retryAt.getTime() / 1000);
        return ephemeralText(`You are asking quickly: try again <t:${at}:R>.`);
      }
    }
    try {
      return fitted(await command.handle({ options: parsed.data, invoker: request.invoker }, context));
    } catch (error) {
      return failureReply(context.logger, error, 'command failed', { command: request.name });
    }
  }

  async function component(request: ComponentRequest): Promise<Reply> {
    const separator = request.customId.indexOf(':');
    const command = byName.get(request.customId.slice(0, separator));
    if (separator < 0 || !command?.interact) return ephemeralText('That button is not one I know any more.');
    if (command.moderatorOnly && !request.invoker.canManageServer) return MODERATORS_ONLY;
    try {
      return fitted(await command.interact({ ...request, customId: request.customId.slice(separator + 1) }, context));
    } catch (error) {
      return failureReply(context.logger, error, 'component failed', { customId: request.customId });
    }
  }

  return {
    find: (name) => byName.get(name),
    run,
    component,
    async autocomplete(name, focused, invoker, filled = {}) {
      const command = byName.get(name);
      if (!command?.autocomplete) return [];
      try {
        return (await command.autocomplete(focused, context, invoker, filled))
          .slice(0, DISCORD_LIMITS.choices)
          .map((c) => ({ name: cutToLength(c.name, DISCORD_LIMITS.choiceName), value: cutToLength(c.value, DISCORD_LIMITS.choiceValue) }))
          .filter((c) => c.name.length > 0 && c.value.length > 0);
      } catch (error) {
        context.logger.error({ err: error, errorId: newErrorId(), command: name }, 'autocomplete failed');
        return [];
      }
    },
    async button(press) {
      try {
        return await pressAnswerButton(press, context.guilds, context.store);
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
    opensModal(request) {
      const command = byName.get(request.name);
      const parsed = command?.opensModal && parse(command, request);
      return parsed ? parsed.success && command.opensModal!(parsed.data) : false;
    },
  };
}

const MODERATORS_ONLY = ephemeralText('Only members with the **Manage Server** permission can use this command.');

/** A form goes out as it is; a message is cut to Discord's limits. */
const fitted = (reply: Reply) => (reply.modal ? reply : fitToDiscordLimits(reply));
