import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/storage/sqliteStore.js';
import { NOW, useTempStores } from './support.js';

const temp = useTempStores();

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLAIMER = fileURLToPath(new URL('./claimTipDaysChild.ts', import.meta.url));

interface Claimer {
  /** The next line the child printed; rejects when it exits first. */
  nextLine(): Promise<string>;
  send(line: string): void;
}

const running = new Map<ChildProcessWithoutNullStreams, Promise<void>>();

// Registered after useTempStores, so it runs first: children are gone before their directory is removed.
afterEach(async () => {
  for (const child of running.keys()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(running.values());
  running.clear();
});

function startClaimer(dataDir: string, tipId: string, days: string[]): Claimer {
  const child = spawn(process.execPath, ['--import', 'tsx', CLAIMER, dataDir, tipId, ...days], { cwd: PROJECT_ROOT });
  running.set(child, new Promise((resolve) => child.once('close', () => resolve())));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    nextLine: async () => {
      const { done, value } = await lines.next();
      if (done === true) throw new Error(`claimer ${tipId} exited early: ${stderr}`);
      return value as string;
    },
    send: (line) => child.stdin.write(`${line}\n`),
  };
}

/** Enough days that the two claimers overtake each other while claiming. */
const RACE_DAYS = Array.from({ length: 200 }, (_, i) => new Date(Date.UTC(2030, 0, 1 + i)).toISOString().slice(0, 10));

describe('claiming a tip day', () => {
  it('succeeds once per server and day', () => {
    const store = temp.open();
    expect(store.claimTipDay('g1', '2030-06-15', 'tip-a', NOW)).toBe(true);
    expect(store.claimTipDay('g1', '2030-06-15', 'tip-b', NOW)).toBe(false);
    expect(store.claimTipDay('g2', '2030-06-15', 'tip-b', NOW)).toBe(true);
    expect(store.claimTipDay('g1', '2030-06-16', 'tip-b', NOW)).toBe(true);
    expect(store.lastTipPost('g1')).toEqual({
      guildId: 'g1',
      localDay: '2030-06-16',
      tipId: 'tip-b',
      status: 'claimed',
      messageId: null,
      claimedAt: NOW,
    });
  });

  it('succeeds for exactly one of two processes racing for the same days', async () => {
    const claimers = ['tip-a', 'tip-b'].map((tipId) => startClaimer(temp.dir(), tipId, RACE_DAYS));
    for (const claimer of claimers) expect(await claimer.nextLine()).toBe('ready');
    for (const claimer of claimers) claimer.send('go');
    const [a, b] = (await Promise.all(claimers.map(async (c) => JSON.parse(await c.nextLine())))) as boolean[][];

    expect(a).toHaveLength(RACE_DAYS.length);
    expect(b).toHaveLength(RACE_DAYS.length);
    RACE_DAYS.forEach((day, i) => expect([a?.[i], b?.[i]].filter(Boolean), day).toHaveLength(1));
    const store = temp.open();
    expect(store.lastTipPost('g1')?.localDay).toBe(RACE_DAYS.at(-1));
    expect(temp.connect().prepare('SELECT COUNT(*) FROM tip_posts').pluck().get()).toBe(RACE_DAYS.length);
  });

  it('succeeds again, once, after the day’s post failed, but not while a post may have gone out', () => {
    const store = temp.open();
    store.claimTipDay('g1', '2030-06-15', 'tip-a', NOW);
    store.markTipPost('g1', '2030-06-15', 'failed', null);
    expect(store.claimTipDay('g1', '2030-06-15', 'tip-b', NOW)).toBe(true);
    expect(store.claimTipDay('g1', '2030-06-15', 'tip-c', NOW)).toBe(false);
    expect(store.lastTipPost('g1')).toMatchObject({ tipId: 'tip-b', status: 'claimed', messageId: null });
    store.markTipPost('g1', '2030-06-15', 'unconfirmed', null);
    expect(store.claimTipDay('g1', '2030-06-15', 'tip-c', NOW)).toBe(false);
    store.markTipPost('g1', '2030-06-15', 'sent', 'msg-1');
    expect(store.claimTipDay('g1', '2030-06-15', 'tip-c', NOW)).toBe(false);
  });

  it('is refused for a day that is not YYYY-MM-DD', () => {
    expect(() => temp.open().claimTipDay('g1', '15.06.2030', 'tip-a', NOW)).toThrow(/CHECK constraint failed/);
  });
});

describe('tip posts', () => {
  it('record whether the post was sent, and its message', () => {
    const store = temp.open();
    store.claimTipDay('g1', '2030-06-15', 'tip-a', NOW);
    store.markTipPost('g1', '2030-06-15', 'sent', 'msg-1');
    expect(store.lastTipPost('g1')).toMatchObject({ status: 'sent', messageId: 'msg-1' });
    store.markTipPost('g1', '2030-06-15', 'failed', null);
    expect(store.lastTipPost('g1')).toMatchObject({ status: 'failed', messageId: null });
  });

  it('cannot be marked without a claim', () => {
    expect(() => temp.open().markTipPost('g1', '2030-06-15', 'sent', 'msg-1')).toThrow(StoreError);
  });

  it('are ordered by local day, not by claim time', () => {
    const store = temp.open();
    expect(store.lastTipPost('g1')).toBeUndefined();
    store.claimTipDay('g1', '2030-06-16', 'tip-late', NOW);
    store.claimTipDay('g1', '2030-06-15', 'tip-early', NOW);
    expect(store.lastTipPost('g1')?.tipId).toBe('tip-late');
  });

  it('are refused on read when a row was corrupted, naming the table', () => {
    const store = temp.open();
    store.claimTipDay('g1', '2030-06-15', 'tip-a', NOW);
    temp.connect().exec(`UPDATE tip_posts SET status = 'lost'`);
    expect(() => store.lastTipPost('g1')).toThrow(/invalid row in table tip_posts \(guild_id g1\): status/);
  });
});

describe('tip rounds', () => {
  it('accumulate the tips used until a new round starts', () => {
    const store = temp.open();
    expect(store.tipsUsedThisRound('g1')).toEqual([]);
    store.claimTipDay('g1', '2030-06-01', 'tip-a', NOW);
    store.claimTipDay('g1', '2030-06-02', 'tip-b', NOW);
    store.claimTipDay('g2', '2030-06-02', 'tip-c', NOW);
    expect(store.tipsUsedThisRound('g1')).toEqual(['tip-a', 'tip-b']);

    store.startNewTipRound('g1');
    expect(store.tipsUsedThisRound('g1')).toEqual([]);
    expect(store.tipsUsedThisRound('g2')).toEqual(['tip-c']);

    store.claimTipDay('g1', '2030-06-03', 'tip-a', NOW);
    expect(store.tipsUsedThisRound('g1')).toEqual(['tip-a']);
    store.startNewTipRound('g1');
    store.startNewTipRound('g1');
    expect(store.tipsUsedThisRound('g1')).toEqual([]);
  });

  it('leave out tips whose post failed', () => {
    const store = temp.open();
    for (const [day, tipId, status] of [['2030-06-01', 'tip-a', 'failed'], ['2030-06-02', 'tip-b', 'sent'], ['2030-06-03', 'tip-c', 'unconfirmed']] as const) {
      store.claimTipDay('g1', day, tipId, NOW);
      store.markTipPost('g1', day, status, null);
    }
    expect(store.tipsUsedThisRound('g1')).toEqual(['tip-b', 'tip-c']);
  });
});
