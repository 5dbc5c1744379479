import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Engine } from '../answering/engine.js';
import type { ReloadResult } from '../answering/reloadableEngine.js';
import type { StatsChartData } from '../charts/statsChart.js';
import type { Guilds } from '../guilds/guilds.js';
import type { Store } from '../storage/store.js';
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

/** A file uploaded with a command (an attachment option): where to fetch it, and how big Discord says it is. */
export interface AttachmentOption {
  name: string;
  url: string;
  size: number;
}

/** A command's options as given, by name. */
export type OptionValues = Record<string, string | number | boolean | AttachmentOption>;

/** A press on a command's component (a button, a select menu) or the submission of its form. */
export interface ComponentInput {
  /** The custom id after the command's name and the colon. */
  customId: string;
  /** What was picked in a select menu. */
  values: string[];
  /** A form's fields, by id. */
  fields: Record<string, string>;
  invoker: Invoker;
}

/** What handlers may use. `engine` is read on every call: a knowledge-base reload swaps it. */
export interface CommandContext {
  readonly engine: Engine;
  /** What the bot does for a server: asking, settings, the server's own entries, teaching. */
  readonly guilds: Guilds;
  readonly commands: readonly CommandModule[];
  readonly logger: Logger;
  readonly store: Store;
  /** Discord user ids allowed to reload the knowledge base, which serves every server. */
  readonly botOwnerIds: ReadonlySet<string>;
  reloadKnowledge(): Promise<ReloadResult>;
  /** The chart of /kb stats as PNG bytes, drawn away from the thread that answers. */
  drawStatsChart(data: StatsChartData): Promise<Uint8Array>;
  /** Reads an uploaded file; fails on one larger than `maxBytes`. */
  download(file: AttachmentOption, maxBytes: number): Promise<Uint8Array>;
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
  /** Whether it answers with a form (a modal), which must be its first answer: it is never acknowledged first. */
  opensModal?(options: z.infer<Schema>): boolean;
  handle(input: CommandInput<z.infer<Schema>>, context: CommandContext): Reply | Promise<Reply>;
  /** `filled`: the options given so far, the focused one too. */
  autocomplete?(focused: { name: string; value: string }, context: CommandContext, invoker: Invoker, filled: OptionValues): Choice[] | Promise<Choice[]>;
  /** Its components and forms: their custom ids start with the command's name and a colon. Answered privately. */
  interact?(input: ComponentInput, context: CommandContext): Reply | Promise<Reply>;
}

/** Declares a command with its types inferred from its option schema. */
export function defineCommand<Schema extends z.ZodType>(command: CommandModule<Schema>): CommandModule<Schema> {
  return command;
}
