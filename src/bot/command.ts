import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Engine } from '../answering/engine.js';
import type { ReloadResult } from '../answering/reloadableEngine.js';
import type { StatsChartData } from '../charts/statsChart.js';
import type { QuestionLog } from '../storage/questionLog.js';
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

/** Whether the bot can post in a channel, and if not, why, in words a moderator can act on. */
export type ChannelAccess = { ok: true } | { ok: false; problem: string };

/** The little a handler may ask of Discord itself, answered from the client's cache. */
export interface DiscordAccess {
  channelAccess(guildId: string, channelId: string): ChannelAccess;
  /** Whether Discord sends the bot message content (the privileged Message Content intent is enabled). */
  readsMessages(): boolean;
}

/** Tells the daily-tip scheduler that a server's tip settings changed. */
export interface DailyTipsControl {
  refresh(guildId: string): void;
}

/** What handlers may use. `engine` is read on every call: a knowledge-base reload swaps it. */
export interface CommandContext {
  readonly engine: Engine;
  readonly commands: readonly CommandModule[];
  readonly logger: Logger;
  readonly store: Store;
  /** Asked questions go here, not to the store: recording them must never hold up or fail an answer. */
  readonly questionLog: QuestionLog;
  readonly discord: DiscordAccess;
  readonly dailyTips: DailyTipsControl;
  /** Discord user ids allowed to reload the knowledge base, which serves every server. */
  readonly botOwnerIds: ReadonlySet<string>;
  reloadKnowledge(): Promise<ReloadResult>;
  /** The chart of /kb stats as PNG bytes, drawn away from the thread that answers. */
  drawStatsChart(data: StatsChartData): Promise<Uint8Array>;
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
