// Changes that every process of the bot must hear of. Each shard keeps caches (servers' settings, their FAQ
// indexes) and its own copy of the knowledge base; a change made in one is made in the database, and this tells
// the others to read it again.

export type Change =
  /** A server's settings changed: read them again. */
  | { kind: 'settings'; guildId: string }
  /** A server's entries or taught phrasings changed: index them again. */
  | { kind: 'server-knowledge'; guildId: string }
  /** Entries may have changed in every server (an editor forgotten). */
  | { kind: 'every-server-knowledge' }
  /** The knowledge base files were reloaded (/kb reload): reload them too. */
  | { kind: 'knowledge-base' };

export interface ChangeFeed {
  /** Tells the other processes; this one has already applied the change. */
  publish(change: Change): void;
  /** Hears the changes the other processes published. */
  subscribe(listener: (change: Change) => void): void;
}

/** One process, nobody else to tell. */
export const ALONE: ChangeFeed = { publish: () => undefined, subscribe: () => undefined };
