import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.js';
import { parseKnowledge } from '../../src/knowledge/loader.js';
import { canonicalTimeZone, dueDay, nextPostTime, parseLocalTime } from '../../src/scheduling/tipSchedule.js';
import { ChannelUnavailableError, TipNotPostedError, TipScheduler, tipNonce, type TipChannel } from '../../src/scheduling/tipScheduler.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';
import type { Store } from '../../src/storage/store.js';
import { capturingLogger } from '../support/commandContext.js';
import { knowledgeFiles } from '../support/knowledgeFixtures.js';

const GUILD = '222222222222222222';
const CHANNEL = '333333333333333333';
const TIP_IDS = ['one', 'two', 'three', 'four', 'five'];
const engine = createEngine(
  parseKnowledge({
    ...knowledgeFiles(),
    tips: TIP_IDS.map((id) => `- id: tip-${id}\n  text: Tip number ${id} tells you to build a small ML project and publish it.\n  source: academy\n`).join(''),
  }),
);

describe('the daily time', () => {
  it('is computed in the server’s zone', async () => {
    expect(nextPostTime({ time: '09:00', timeZone: 'Asia/Kolkata' }, new Date('2026-11-23T00:00:00Z')).toISOString()).toBe('2026-11-23T03:30:00.000Z');
    expect(nextPostTime({ time: '09:00', timeZone: 'America/New_York' }, new Date('2026-11-23T15:00:00Z')).toISOString()).toBe('2026-11-24T14:00:00.000Z');
  });

  it('still comes once on a spring-forward day, right after the gap, and once on a fall-back day', async () => {
    const berlin = { time: '02:30', timeZone: 'Europe/Berlin' };
    expect(nextPostTime(berlin, new Date('2026-03-28T12:00:00Z')).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(nextPostTime(berlin, new Date('2026-03-29T01:00:00Z')).toISOString()).toBe('2026-03-30T00:30:00.000Z');
    expect(nextPostTime(berlin, new Date('2026-10-24T12:00:00Z')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(nextPostTime(berlin, new Date('2026-10-25T00:30:00Z')).toISOString()).toBe('2026-10-26T01:30:00.000Z');
  });

  it('is due from its time until the end of that local day, never the next', async () => {
    const schedule = { time: '09:00', timeZone: 'Europe/Berlin' };
    expect(dueDay(schedule, new Date('2026-11-23T07:59:00Z'))).toBeUndefined();
    expect(dueDay(schedule, new Date('2026-11-23T08:00:00Z'))).toBe('2026-11-23');
    expect(dueDay(schedule, new Date('2026-11-23T22:59:00Z'))).toBe('2026-11-23');
    expect(dueDay(schedule, new Date('2026-11-24T07:00:00Z'))).toBeUndefined();
  });

  it('validates times and zones', async () => {
    expect(parseLocalTime('9:05')).toBe('09:05');
    expect(parseLocalTime('24:00')).toBeUndefined();
    expect(parseLocalTime('noon')).toBeUndefined();
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeUndefined();
  });
});

describe('the tip scheduler', () => {
  let dir: string;
  const stores: Store[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ml-career-bot-tips-'));
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function setup(options: { time?: string; timeZone?: string; channel?: TipChannel; laterRetryMs?: number } = {}) {
    let now = new Date('2026-11-23T12:00:00Z');
    const posts: { channelId: string; tipId: string; at: Date }[] = [];
    const channel: TipChannel = options.channel ?? {
      post: async (channelId, tip) => {
        posts.push({ channelId, tipId: tip.id, at: now });
        return `80000000000000000${posts.length}`;
      },
    };
    const openStore = () => {
      const store = openSqliteStore({ dataDir: dir });
      stores.push(store);
      return store;
    };
    const store = openStore();
    await store.updateSettings(GUILD, (s) => ({
      ...s,
      tips: { channelId: CHANNEL, time: options.time ?? '09:00', timeZone: options.timeZone ?? 'UTC', enabled: true, disabledReason: null },
    }));
    const scheduler = (withStore = store) =>
      new TipScheduler({ store: withStore, engine: () => engine, channel, logger: capturingLogger().logger, now: () => now, random: () => 0.5, retryDelaysMs: [0, 0], laterRetryMs: options.laterRetryMs ?? 60_000 });
    return { store, openStore, scheduler, posts, setNow: (iso: string) => (now = new Date(iso)) };
  }

  it('posts once per local day, however often it is asked', async () => {
    const { scheduler, posts, store } = await setup();
    const tips = scheduler();
    expect(await tips.postIfDue(GUILD)).toBe('posted');
    expect(await tips.postIfDue(GUILD)).toBe('already-posted');
    expect(posts).toHaveLength(1);
    expect(await store.lastTipPost(GUILD)).toMatchObject({ localDay: '2026-11-23', status: 'sent', messageId: '800000000000000001' });
  });

  it('posts once when two schedulers share one database file', async () => {
    const { scheduler, openStore, posts } = await setup();
    const outcomes = await Promise.all([scheduler().postIfDue(GUILD), scheduler(openStore()).postIfDue(GUILD)]);
    expect(outcomes.sort()).toEqual(['already-posted', 'posted']);
    expect(posts).toHaveLength(1);
  });

  it('catches up after a restart on the same day, and never posts a missed day the next day', async () => {
    const { scheduler, posts, setNow, store } = await setup({ time: '09:00', timeZone: 'Europe/Berlin' });
    setNow('2026-11-23T15:00:00Z');
    expect(await scheduler().refresh(GUILD)).toBe('posted');
    setNow('2026-11-25T07:00:00Z');
    expect(await scheduler().refresh(GUILD)).toBe('not-due');
    setNow('2026-11-25T08:00:00Z');
    expect(await scheduler().postIfDue(GUILD)).toBe('posted');
    expect(posts.map((p) => p.at.toISOString())).toEqual(['2026-11-23T15:00:00.000Z', '2026-11-25T08:00:00.000Z']);
    expect((await store.lastTipPost(GUILD))?.localDay).toBe('2026-11-25');
    scheduler().stop();
  });

  it('posts on a spring-forward day once, after the skipped hour', async () => {
    const { scheduler, posts, setNow } = await setup({ time: '02:30', timeZone: 'Europe/Berlin' });
    const tips = scheduler();
    setNow('2026-03-29T00:59:00Z');
    expect(await tips.postIfDue(GUILD)).toBe('not-due');
    setNow('2026-03-29T01:00:00Z');
    expect(await tips.postIfDue(GUILD)).toBe('posted');
    setNow('2026-03-29T02:00:00Z');
    expect(await tips.postIfDue(GUILD)).toBe('already-posted');
    expect(posts).toHaveLength(1);
  });

  it('rotates through every tip before repeating one', async () => {
    const { scheduler, posts, setNow } = await setup();
    const tips = scheduler();
    for (let day = 1; day <= TIP_IDS.length + 1; day++) {
      setNow(`2026-12-${String(day).padStart(2, '0')}T10:00:00Z`);
      expect(await tips.postIfDue(GUILD)).toBe('posted');
    }
    const firstRound = posts.slice(0, TIP_IDS.length).map((p) => p.tipId);
    expect(new Set(firstRound).size).toBe(TIP_IDS.length);
    expect(firstRound.sort()).toEqual(TIP_IDS.map((id) => `tip-${id}`).sort());
  });

  it('retries a post that surely was not made', async () => {
    let attempts = 0;
    const flaky: TipChannel = {
      post: async () => {
        attempts++;
        if (attempts < 3) throw new TipNotPostedError('not connected to Discord');
        return '800000000000000009';
      },
    };
    expect(await (await setup({ channel: flaky })).scheduler().postIfDue(GUILD)).toBe('posted');
    expect(attempts).toBe(3);
  });

  it('turns tips off when Discord refuses the channel, saying why', async () => {
    const forbidden: TipChannel = {
      post: async () => {
        throw new ChannelUnavailableError('the bot may not post in the channel');
      },
    };
    const { scheduler, store } = await setup({ channel: forbidden });
    expect(await scheduler().postIfDue(GUILD)).toBe('failed');
    expect((await store.settings(GUILD)).tips).toMatchObject({ enabled: false, disabledReason: 'the bot may not post in the channel' });
    expect((await store.lastTipPost(GUILD))?.status).toBe('failed');
  });

  /** A channel whose posts fail with `failure` while it is set. */
  function failingChannel() {
    const state: { failure: Error | undefined; attempts: number; posted: string[]; nonces: string[] } = { failure: undefined, attempts: 0, posted: [], nonces: [] };
    const channel: TipChannel = {
      post: async (_channelId, tip, _engine, nonce) => {
        state.attempts++;
        state.nonces.push(nonce);
        if (state.failure) throw state.failure;
        state.posted.push(tip.id);
        return `80000000000000000${state.posted.length}`;
      },
    };
    return { state, channel };
  }

  it('posts today’s tip when tips are set again the day Discord refused the channel', async () => {
    const { state, channel } = failingChannel();
    const { scheduler, store } = await setup({ channel });
    state.failure = new ChannelUnavailableError('the bot may not post in the channel');
    const tips = scheduler();
    expect(await tips.refresh(GUILD)).toBe('failed');
    expect((await store.settings(GUILD)).tips?.enabled).toBe(false);

    state.failure = undefined;
    await store.updateSettings(GUILD, (s) => ({ ...s, tips: s.tips && { ...s.tips, enabled: true, disabledReason: null } }));
    expect(await tips.refresh(GUILD)).toBe('posted');
    expect(await tips.postIfDue(GUILD)).toBe('already-posted');
    expect(state.posted).toHaveLength(1);
    expect(await store.lastTipPost(GUILD)).toMatchObject({ localDay: '2026-11-23', status: 'sent' });
    tips.stop();
  });

  it('gives the day back when its post failed after the retries, and counts no tip as used', async () => {
    const { state, channel } = failingChannel();
    const { scheduler, store } = await setup({ channel });
    state.failure = new TipNotPostedError('not connected to Discord');
    expect(await scheduler().postIfDue(GUILD)).toBe('failed');
    expect(state.attempts).toBe(3);
    expect((await store.lastTipPost(GUILD))?.status).toBe('failed');
    expect(await store.tipsUsedThisRound(GUILD)).toEqual([]);

    state.failure = undefined;
    expect(await scheduler().postIfDue(GUILD)).toBe('posted');
    expect(await store.tipsUsedThisRound(GUILD)).toEqual(state.posted);
  });

  it('tries a refused post again later that day by itself, and not once the day is over', async () => {
    const { state, channel } = failingChannel();
    const { scheduler, store, setNow } = await setup({ channel, laterRetryMs: 20 });
    const tips = scheduler();
    state.failure = new TipNotPostedError('not connected to Discord');
    expect(await tips.postIfDue(GUILD)).toBe('failed');
    state.failure = undefined;
    await expect.poll(async () => (await store.lastTipPost(GUILD))?.status, { timeout: 2_000 }).toBe('sent');
    expect(state.posted).toHaveLength(1);

    setNow('2026-11-24T12:00:00Z');
    state.failure = new TipNotPostedError('not connected to Discord');
    expect(await tips.postIfDue(GUILD)).toBe('failed');
    setNow('2026-11-25T08:00:00Z');
    state.failure = undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(state.posted).toHaveLength(1);
    tips.stop();
  });

  it('asks again when Discord did not answer, with the day’s nonce, so that Discord posts it once whatever happened', async () => {
    const { state, channel } = failingChannel();
    let unanswered = 2;
    const nonces: string[] = [];
    const flaky: TipChannel = {
      post: (channelId, tip, engine, nonce) => {
        nonces.push(nonce);
        return unanswered-- > 0 ? Promise.reject(new Error('socket hang up')) : channel.post(channelId, tip, engine, nonce);
      },
    };
    const { scheduler, store } = await setup({ channel: flaky });
    expect(await scheduler().postIfDue(GUILD)).toBe('posted');
    expect(nonces).toEqual(Array(3).fill(tipNonce(GUILD, '2026-11-23')));
    expect(state.posted).toHaveLength(1);
    expect((await store.lastTipPost(GUILD))?.status).toBe('sent');
  });

  it('names each server’s day by a nonce of its own, as long as Discord allows', () => {
    const nonces = [tipNonce(GUILD, '2026-11-23'), tipNonce(GUILD, '2026-11-24'), tipNonce('100000000000000009', '2026-11-23')];
    expect(new Set(nonces).size).toBe(3);
    for (const nonce of nonces) expect(nonce).toHaveLength(25);
    expect(tipNonce(GUILD, '2026-11-23')).toBe(nonces[0]);
  });

  it('keeps the day and tries no more once Discord never answered, as the post may have gone out', async () => {
    const { state, channel } = failingChannel();
    const { scheduler, store } = await setup({ channel });
    state.failure = new Error('socket hang up');
    expect(await scheduler().postIfDue(GUILD)).toBe('failed');
    expect(state.attempts).toBe(3);
    expect(new Set(state.nonces).size).toBe(1);
    expect((await store.lastTipPost(GUILD))?.status).toBe('unconfirmed');

    state.failure = undefined;
    expect(await scheduler().postIfDue(GUILD)).toBe('already-posted');
    expect(state.attempts).toBe(3);
    expect(await store.tipsUsedThisRound(GUILD)).toHaveLength(1);
  });

  it('keeps the day when a post that may have gone out is followed by refusals', async () => {
    const { state, channel } = failingChannel();
    let first = true;
    const mixed: TipChannel = {
      post: (...args) => {
        if (!first) state.failure = new TipNotPostedError('not connected to Discord');
        first = false;
        return channel.post(...args);
      },
    };
    const { scheduler, store } = await setup({ channel: mixed });
    state.failure = new Error('socket hang up');
    expect(await scheduler().postIfDue(GUILD)).toBe('failed');
    expect((await store.lastTipPost(GUILD))?.status).toBe('unconfirmed');
  });
});
