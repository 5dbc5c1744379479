import type { Change } from '../guilds/changes.js';

/** A change a shard tells the manager of, for the manager to pass on to every other shard. */
export interface ChangeMessage {
  mlCareerBotChange: Change;
  /** The shard that made it: it has applied it already. */
  from: number;
}

export function isChangeMessage(message: unknown): message is ChangeMessage {
  return typeof message === 'object' && message !== null && 'mlCareerBotChange' in message && 'from' in message;
}
