import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Engine } from '../answering/engine.js';
import type { Reply } from './reply.js';

/** Who invoked a command, and where: everything a handler may know about Discord. */
export interface Invoker {
  userId: string;
  username: string;
  guildId: string | null;
  channelId: string | null;
  /** Checked by the bot itself from the interaction's member permissions, not trusted from the client UI. */
  canManageServer: boolean;
}

/** A handler's input: the options, validated by the command's own schema, and the invoker. */
export interface CommandInput<Options> {
  options: Options;
  invoker: Invoker;
}

export interface Choice {
  name: string;
  value: string;
}

/** What handlers may use. `engine` is read on every call: a knowledge-base reload swaps it. */
export interface CommandContext {
  readonly engine: Engine;
  readonly commands: readonly CommandModule[];
  readonly logger: Logger;
  now(): Date;
  random(): number;
}

export interface CommandModule<Schema extends z.ZodType = z.ZodType> {
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /**
   * Validates the options as Discord sent them, flattened: `{ subcommand?: "group sub", ...options }`.
   * A command whose options no longer fit is an outdated command, answered politely.
   */
  options: Schema;
  /** Needs Manage Server; checked again here whatever the client shows. */
  moderatorOnly?: boolean;
  /** Counts against the member's question cooldown. */
  rateLimited?: boolean;
  /** Whether the reply will be private, known before the handler finishes (for a deferred reply). */
  ephemeral(options: z.infer<Schema>): boolean;
  handle(input: CommandInput<z.infer<Schema>>, context: CommandContext): Reply | Promise<Reply>;
  autocomplete?(focused: { name: string; value: string }, context: CommandContext): Choice[];
}

/** Declares a command with its types inferred from its option schema. */
export function defineCommand<Schema extends z.ZodType>(command: CommandModule<Schema>): CommandModule<Schema> {
  return command;
}
