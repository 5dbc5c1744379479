import type { Change, ChangeFeed } from '../guilds/changes.js';
import { isChangeMessage, type ChangeMessage } from './messages.js';

/** This process as one of the manager's shards: which it is, and how it hears of the others' changes. */
export interface ShardProcess {
  id: number;
  count: number;
  changes: ChangeFeed;
  /** Called once if the manager goes away (the IPC channel closes): a shard is not to live on alone. */
  onManagerGone(listener: () => void): void;
}

/** discord.js's ShardingManager gives each shard its id and the count in SHARDS and SHARD_COUNT. */
export function shardProcess(env: NodeJS.ProcessEnv = process.env): ShardProcess {
  const id = Number(env.SHARDS);
  const count = Number(env.SHARD_COUNT);
  const listeners: ((change: Change) => void)[] = [];
  process.on('message', (message) => {
    if (isChangeMessage(message) && message.from !== id) for (const listener of listeners) listener(message.mlCareerBotChange);
  });
  return {
    id,
    count,
    changes: {
      publish: (change) => process.send?.({ mlCareerBotChange: change, from: id } satisfies ChangeMessage),
      subscribe: (listener) => listeners.push(listener),
    },
    onManagerGone: (listener) => process.once('disconnect', listener),
  };
}
