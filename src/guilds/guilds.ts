// The one way in to what the bot does for a server, keyed by server and free of discord.js: slash commands,
// auto-answers and any later web page call these same functions.
import type { Engine } from '../answering/engine.js';
import type { Logger } from '../logger.js';
import type { QuestionLog } from '../storage/questionLog.js';
import type { Store } from '../storage/store.js';
import { GuildEntries } from './entries.js';
import { PermissionProblems } from './permissions.js';
import { GuildQuestions } from './questions.js';
import { ALONE, type ChangeFeed } from './changes.js';
import { ServerIndexes } from './serverIndexes.js';
import { GuildSettingsControl, type DailyTipsControl, type DiscordAccess } from './settings.js';
import { GuildTeaching } from './teaching.js';

export interface GuildsOptions {
  /** Read on every call: a knowledge-base reload swaps it. */
  engine: () => Engine;
  store: Store;
  questionLog: Pick<QuestionLog, 'record' | 'flush' | 'forget'>;
  discord: DiscordAccess;
  dailyTips: DailyTipsControl;
  logger: Logger;
  now: () => Date;
  /** Entries and taught phrasings whose indexes are kept in memory (default INDEXED_ENTRIES_BUDGET). */
  indexBudget?: number;
  /** The other processes (shards) to tell of changes, and to hear of theirs. Default: none. */
  changes?: ChangeFeed;
}

export interface Guilds {
  /** Asking: answers with the server's own knowledge, and the record of what was asked. */
  readonly questions: GuildQuestions;
  readonly settings: GuildSettingsControl;
  /** What the bot lacks where moderators asked it to act, reported once. */
  readonly permissions: PermissionProblems;
  /** The server's own FAQ entries. */
  readonly entries: GuildEntries;
  /** Teaching declined questions to passages and entries. */
  readonly teaching: GuildTeaching;
  /** Deletes everything kept about a member in every server; returns how many records went. */
  forgetMember(userId: string): Promise<number>;
  /** Indexes the servers likeliest to ask before they do: at the start, and for a reloaded knowledge base. */
  warmUp: ServerIndexes['warmUp'];
}

export function createGuilds(options: GuildsOptions): Guilds {
  const { engine, store, questionLog, now } = options;
  const changes = options.changes ?? ALONE;
  const indexes = new ServerIndexes(engine, store, options.logger, options.indexBudget, changes);
  const entries = new GuildEntries(store, indexes, now);
  const permissions = new PermissionProblems(options.logger);
  return {
    questions: new GuildQuestions(engine, indexes, store, questionLog, now),
    settings: new GuildSettingsControl(store, options.discord, options.dailyTips, permissions, now, changes),
    permissions,
    entries,
    teaching: new GuildTeaching(engine, indexes, store, entries, now),
    async forgetMember(userId) {
      const member = store.memberHash(userId);
      const dropped = await questionLog.forget(member);
      const forgotten = dropped + (await store.forgetMember(member));
      // Their name may be on entries in any server's index.
      indexes.changedEverywhere();
      return forgotten;
    },
    warmUp: (options) => indexes.warmUp(options),
  };
}
