import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Cron } from 'croner';
import type { Engine } from '../answering/engine.js';
import type { Tip } from '../knowledge/schema.js';
import type { Logger } from '../logger.js';
import type { Store } from '../storage/store.js';
import { dailyCron, dueDay } from './tipSchedule.js';

/** Where tips go: the Discord channel, behind a port so the scheduler runs without Discord in tests. */
export interface TipChannel {
  /**
   * Posts the tip; resolves with the message id. Rejects with a TipNotPostedError when the tip was surely not
   * posted; any other failure (Discord did not answer) may have posted it. A post with the `nonce` of one made
   * in the last few minutes is not made again: Discord returns the first (enforce_nonce).
   */
  post(channelId: string, tip: Tip, engine: Engine, nonce: string): Promise<string>;
}

/** The same for every attempt at a server's tip of a day, in any process: at most 25 characters, as Discord allows. */
export const tipNonce = (guildId: string, localDay: string) => `tip${createHash('sha256').update(`${guildId}:${localDay}`).digest('hex').slice(0, 22)}`;

/** The tip was surely not posted (not connected, or Discord refused it): it may be tried again. */
export class TipNotPostedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TipNotPostedError';
  }
}

/** The channel is gone or the bot may not post there: retrying will not help, a moderator must act. */
export class ChannelUnavailableError extends TipNotPostedError {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ChannelUnavailableError';
  }
}

export type TipPostOutcome = 'posted' | 'not-due' | 'tips-off' | 'already-posted' | 'no-tips' | 'failed' | 'another-shard';

export interface TipSchedulerOptions {
  store: Store;
  engine: () => Engine;
  channel: TipChannel;
  logger: Logger;
  now?: () => Date;
  random?: () => number;
  /** Waits between attempts after a failure Discord's own retries did not absorb. */
  retryDelaysMs?: readonly number[];
  /** After those, how long until the day's tip is tried again (while it is still that day). */
  laterRetryMs?: number;
  /** Whether this process posts the server's tips: with shards, the shard the server is on. Default: every server. */
  ownsGuild?: (guildId: string) => boolean;
  /** The scheduler changed a server's settings (it turned tips off). */
  onSettingsChanged?: (guildId: string) => void;
}

const DEFAULT_RETRY_DELAYS_MS = [2_000, 10_000, 30_000];
const DEFAULT_LATER_RETRY_MS = 20 * 60_000;

/**
 * Posts each server's daily tip at its local time, exactly once per local day: the day is claimed in the
 * database before sending, so a restart, a crash after sending or another shard never posts it twice, and every
 * attempt carries the day's nonce, so that Discord does not post a retry of a post it made but did not answer.
 * A post Discord refused gives the day back and is tried again later that day (as are a restart or tips set again);
 * a post that may have gone out keeps it. Started late the same day, it catches up; a missed day is never
 * posted the next. Tips rotate per server in random order, none repeating until every tip has been posted.
 */
export class TipScheduler {
  private readonly jobs = new Map<string, Cron>();
  private readonly laterRetries = new Map<string, NodeJS.Timeout>();
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly retryDelaysMs: readonly number[];

  constructor(private readonly options: TipSchedulerOptions) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  }

  /** Schedules every server with tips on, and posts the ones due today that were missed. */
  async start(): Promise<void> {
    const owned = (await this.options.store.guildsWithTips()).filter((settings) => this.owns(settings.guildId));
    await Promise.all(owned.map((settings) => this.refresh(settings.guildId)));
  }

  /** Follows a change of a server's tip settings; posts today's tip now if its time has already come. */
  async refresh(guildId: string): Promise<TipPostOutcome> {
    this.unschedule(guildId);
    if (!this.owns(guildId)) return 'another-shard';
    const { tips } = await this.options.store.settings(guildId);
    if (!tips?.enabled) return 'tips-off';
    const run = () => this.postIfDue(guildId).catch((error: unknown) => this.options.logger.error({ err: error, guildId }, 'daily tip run failed'));
    this.jobs.set(guildId, dailyCron(tips, run));
    return this.postIfDue(guildId);
  }

  stop(): void {
    for (const guildId of [...this.jobs.keys(), ...this.laterRetries.keys()]) this.unschedule(guildId);
  }

  private owns(guildId: string): boolean {
    return this.options.ownsGuild?.(guildId) ?? true;
  }

  private unschedule(guildId: string): void {
    this.jobs.get(guildId)?.stop();
    this.jobs.delete(guildId);
    clearTimeout(this.laterRetries.get(guildId));
    this.laterRetries.delete(guildId);
  }

  /** Tries the day's tip again later; postIfDue posts it only if it is still that day and not yet posted. */
  private retryLater(guildId: string): void {
    clearTimeout(this.laterRetries.get(guildId));
    const timer = setTimeout(() => {
      this.laterRetries.delete(guildId);
      this.postIfDue(guildId).catch((error: unknown) => this.options.logger.error({ err: error, guildId }, 'daily tip run failed'));
    }, this.options.laterRetryMs ?? DEFAULT_LATER_RETRY_MS);
    timer.unref();
    this.laterRetries.set(guildId, timer);
  }

  async postIfDue(guildId: string): Promise<TipPostOutcome> {
    const { store, logger } = this.options;
    const { tips } = await store.settings(guildId);
    if (!tips?.enabled) return 'tips-off';
    const now = this.now();
    const day = dueDay(tips, now);
    if (!day) return 'not-due';
    const engine = this.options.engine();
    const tip = await this.nextTip(guildId, engine.tips);
    if (!tip) return 'no-tips';
    if (!(await store.claimTipDay(guildId, day, tip.id, now))) return 'already-posted';
    let messageId: string;
    try {
      messageId = await this.postWithRetries(tips.channelId, tip, engine, tipNonce(guildId, day));
    } catch (error) {
      const notPosted = error instanceof TipNotPostedError;
      await store.markTipPost(guildId, day, notPosted ? 'failed' : 'unconfirmed', null);
      if (error instanceof ChannelUnavailableError) {
        await store.updateSettings(guildId, (s) => ({ ...s, tips: s.tips && { ...s.tips, enabled: false, disabledReason: error.reason } }));
        this.options.onSettingsChanged?.(guildId);
        this.unschedule(guildId);
        logger.warn({ guildId, channelId: tips.channelId, reason: error.reason }, 'turned daily tips off for a server: its channel cannot take them');
      } else if (notPosted) {
        this.retryLater(guildId);
        logger.error({ err: error, guildId, day }, 'could not post the daily tip; trying again later today');
      } else {
        logger.error({ err: error, guildId, day }, 'the daily tip may have been posted (Discord did not answer, even when asked again); not tried again today, so it is never posted twice');
      }
      return 'failed';
    }
    await store.markTipPost(guildId, day, 'sent', messageId);
    logger.info({ guildId, day, tip: tip.id }, 'posted the daily tip');
    return 'posted';
  }

  /** A random tip not yet used in this server's round; a new round once all were used. */
  private async nextTip(guildId: string, tips: readonly Tip[]): Promise<Tip | undefined> {
    const { store } = this.options;
    const used = new Set(await store.tipsUsedThisRound(guildId));
    let remaining = tips.filter((t) => !used.has(t.id));
    if (remaining.length === 0) {
      await store.startNewTipRound(guildId);
      remaining = [...tips];
    }
    return remaining[Math.floor(this.random() * remaining.length)];
  }

  /**
   * Tries again after a refusal, and after no answer too: the nonce keeps Discord from posting a retry of a post
   * it made, for a few minutes, longer than the retries take. Fails as surely not posted only if no attempt may
   * have posted it.
   */
  private async postWithRetries(channelId: string, tip: Tip, engine: Engine, nonce: string): Promise<string> {
    let mayHavePosted: unknown;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.options.channel.post(channelId, tip, engine, nonce);
      } catch (error) {
        if (!(error instanceof TipNotPostedError)) mayHavePosted = error;
        const wait = this.retryDelaysMs[attempt];
        if (error instanceof ChannelUnavailableError || wait === undefined) throw mayHavePosted ?? error;
        this.options.logger.warn({ err: error, channelId, attempt: attempt + 1 }, 'posting the daily tip failed; retrying');
        await delay(wait);
      }
    }
  }
}
