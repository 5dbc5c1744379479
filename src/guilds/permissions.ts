import type { Logger } from '../logger.js';

/** The permissions the bot can need in a channel, named as discord.js names them (PermissionFlagsBits). */
export const BOT_PERMISSIONS = [
  'ViewChannel',
  'SendMessages',
  'SendMessagesInThreads',
  'CreatePublicThreads',
  'EmbedLinks',
  'ReadMessageHistory',
  'ManageThreads',
] as const;
export type BotPermission = (typeof BOT_PERMISSIONS)[number];

/** As Discord's server settings name them, for moderators. */
const PERMISSION_WORDS: Record<BotPermission, string> = {
  ViewChannel: 'View Channel',
  SendMessages: 'Send Messages',
  SendMessagesInThreads: 'Send Messages in Threads',
  CreatePublicThreads: 'Create Public Threads',
  EmbedLinks: 'Embed Links',
  ReadMessageHistory: 'Read Message History',
  ManageThreads: 'Manage Threads',
};

/**
 * What each thing the bot does needs in a channel (for a thread or a forum post: in its parent, whose
 * permissions it takes). The invite link in the README asks for all of them but Manage Threads, which only
 * tagging forum posts needs.
 */
export const TASK_PERMISSIONS = {
  /** A reply reads the message it answers. */
  'answer in channels': ['ViewChannel', 'SendMessages', 'EmbedLinks', 'ReadMessageHistory'],
  'answer in threads': ['ViewChannel', 'SendMessagesInThreads', 'EmbedLinks', 'ReadMessageHistory'],
  /** Answering the thread mode's way: a thread opened on the question. */
  'open answer threads': ['CreatePublicThreads', 'SendMessagesInThreads'],
  /** An answer in a post is a message in its thread, not a reply. */
  'answer in forum posts': ['ViewChannel', 'SendMessagesInThreads', 'EmbedLinks'],
  /** Tags on posts the bot did not open. */
  'tag forum posts': ['ManageThreads'],
  'post tips': ['ViewChannel', 'SendMessages', 'EmbedLinks', 'ReadMessageHistory'],
} as const satisfies Record<string, readonly BotPermission[]>;
export type BotTask = keyof typeof TASK_PERMISSIONS;

/** What the bot lacks for a task, from what it has. */
export function missingFor(task: BotTask, granted: readonly BotPermission[]): BotPermission[] {
  return TASK_PERMISSIONS[task].filter((permission) => !granted.includes(permission));
}

/** "the Send Messages in Threads and Embed Links permissions". */
export function permissionWords(permissions: readonly BotPermission[]): string {
  const words = permissions.map((p) => PERMISSION_WORDS[p]);
  const listed = words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}` : (words[0] ?? '');
  return `the ${listed} permission${words.length > 1 ? 's' : ''}`;
}

/** A task the bot could not do in a channel, for lack of permissions. */
export interface PermissionProblem {
  channelId: string;
  task: BotTask;
  missing: BotPermission[];
}

/**
 * What the bot lacks where moderators asked it to act: logged once, not per message, and kept for /config show
 * until it is granted (a later loss is then reported again). Kept in memory: a restart reports it once more.
 */
export class PermissionProblems {
  private readonly byGuild = new Map<string, Map<string, PermissionProblem>>();

  constructor(private readonly logger: Logger) {}

  /** Whether the bot can do `task` in the channel with the permissions `granted` it there. */
  allows(guildId: string, channelId: string, task: BotTask, granted: readonly BotPermission[]): boolean {
    const missing = missingFor(task, granted);
    const key = `${channelId} ${task}`;
    const problems = this.byGuild.get(guildId);
    if (missing.length === 0) {
      problems?.delete(key);
      if (problems?.size === 0) this.byGuild.delete(guildId);
      return true;
    }
    if (problems?.get(key)?.missing.join() !== missing.join()) {
      this.logger.warn({ guildId, channelId, task, missing }, `missing permissions to ${task}; reported once, and shown by /config show until granted`);
      this.byGuild.set(guildId, (problems ?? new Map<string, PermissionProblem>()).set(key, { channelId, task, missing }));
    }
    return false;
  }

  of(guildId: string): PermissionProblem[] {
    return [...(this.byGuild.get(guildId)?.values() ?? [])];
  }
}
