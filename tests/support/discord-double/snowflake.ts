/**
 * Snowflake ids, tokens and timestamps that look like Discord's.
 */
import { randomBytes } from 'node:crypto';

/** 2015-01-01T00:00:00.000Z, the first second of Discord's epoch. */
export const DISCORD_EPOCH = 1420070400000n;

const PROCESS_ID = BigInt(process.pid % 32);

/** Ids from one worker: never going back in time, unique within a millisecond by their increment. */
function snowflakeWorker(workerId: bigint): (at: number) => string {
  let lastTimestamp = 0n;
  let increment = 0n;
  return (at) => {
    let timestamp = BigInt(at) - DISCORD_EPOCH;
    if (timestamp < lastTimestamp) timestamp = lastTimestamp;
    if (timestamp === lastTimestamp) {
      increment = (increment + 1n) & 0xfffn;
      if (increment === 0n) timestamp += 1n;
    } else {
      increment = 0n;
    }
    lastTimestamp = timestamp;
    return ((timestamp << 22n) | (workerId << 17n) | (PROCESS_ID << 12n) | increment).toString();
  };
}

const currentWorker = snowflakeWorker(1n);

/**
 * A new snowflake for "now": monotonically increasing across every double in the process,
 * 18-19 decimal digits like real ids (19 digits for any time after 2022).
 */
export function nextSnowflake(at: number = Date.now()): string {
  return currentWorker(at);
}

/**
 * A snowflake for a moment already past, as an interaction delivered late has. A worker of its own keeps
 * these apart from {@link nextSnowflake}'s, which never go back in time.
 */
export const pastSnowflake = snowflakeWorker(2n);

/** The creation time (ms since 1970) encoded in a snowflake. */
export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** Discord's timestamp format: `2024-05-01T12:00:00.123000+00:00`. */
export function discordTimestamp(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace(/Z$/, '000+00:00');
}

/** A bot token shaped like a real one (`base64(id).xxxxxx.yyyyyyyy`). It only has to look right. */
export function fakeBotToken(botId: string): string {
  const idPart = Buffer.from(botId).toString('base64url');
  return `${idPart}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
}

/** An interaction token (long, URL safe). */
export function fakeInteractionToken(interactionId: string): string {
  return `aW50ZXJhY3Rpb246${Buffer.from(`${interactionId}:`).toString('base64url')}${randomBytes(48).toString('base64url')}`;
}

/** A gateway session id (32 hex characters). */
export function fakeSessionId(): string {
  return randomBytes(16).toString('hex');
}
