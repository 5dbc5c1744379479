import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/storage/storeError.js';
import { BACKENDS, NOW, useBackendStores } from './support.js';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLAIMER = fileURLToPath(new URL('./claimTipDaysChild.ts', import.meta.url));

interface Claimer {
  /** The next line the child printed; rejects when it exits first. */
  nextLine(): Promise<string>;
  send(line: string): void;
}

const running = new Map<ChildProcessWithoutNullStreams, Promise<void>>();

function startClaimer(dataDir: string, url: string, tipId: string, days: string[]): Claimer {
  const child = spawn(process.execPath, ['--import', 'tsx', CLAIMER, dataDir, url, tipId, ...days], { cwd: PROJECT_ROOT });
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

describe.each(BACKENDS)('%s', (backend) => {
  const temp = useBackendStores(backend);

  // Registered after useBackendStores, so it runs first: children are gone before their database is removed.
  afterEach(async () => {
    for (const child of running.keys()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(running.values());
    running.clear();
  });

  describe('claiming a tip day', () => {
    it('succeeds once per server and day', async () => {
      const store = await temp.open();
      expect(await store.claimTipDay('g1', '2030-06-15', 'tip-a', NOW)).toBe(true);
      expect(await store.claimTipDay('g1', '2030-06-15', 'tip-b', NOW)).toBe(false);
      expect(await store.claimTipDay('g2', '2030-06-15', 'tip-b', NOW)).toBe(true);
      expect(await store.claimTipDay('g1', '2030-06-16', 'tip-b', NOW)).toBe(true);
      expect(await store.lastTipPost('g1')).toEqual({
        guildId: 'g1',
        localDay: '2030-06-16',
        tipId: 'tip-b',
        status: 'claimed',
        messageId: null,
        claimedAt: NOW,
      });
    });

    it('succeeds for exactly one of two processes racing for the same days', async () => {
      const claimers = ['tip-a', 'tip-b'].map((tipId) => startClaimer(temp.dir(), backend === 'sqlite' ? 'sqlite' : temp.address(), tipId, RACE_DAYS));
      for (const claimer of claimers) expect(await claimer.nextLine()).toBe('ready');
      for (const claimer of claimers) claimer.send('go');
      const [a, b] = (await Promise.all(claimers.map(async (c) => JSON.parse(await c.nextLine())))) as boolean[][];

      expect(a).toHaveLength(RACE_DAYS.length);
      expect(b).toHaveLength(RACE_DAYS.length);
      RACE_DAYS.forEach((day, i) => expect([a?.[i], b?.[i]].filter(Boolean), day).toHaveLength(1));
      const store = await temp.open();
      expect((await store.lastTipPost('g1'))?.localDay).toBe(RACE_DAYS.at(-1));
      expect(await temp.sql('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM tip_posts')).toEqual([{ n: RACE_DAYS.length }]);
    });

    it('succeeds again, once, after the day’s post failed, but not while a post may have gone out', async () => {
      const store = await temp.open();
      await store.claimTipDay('g1', '2030-06-15', 'tip-a', NOW);
      await store.markTipPost('g1', '2030-06-15', 'failed', null);
      expect(await store.claimTipDay('g1', '2030-06-15', 'tip-b', NOW)).toBe(true);
      expect(await store.claimTipDay('g1', '2030-06-15', 'tip-c', NOW)).toBe(false);
      expect(await store.lastTipPost('g1')).toMatchObject({ tipId: 'tip-b', status: 'claimed', messageId: null });
      await store.markTipPost('g1', '2030-06-15', 'unconfirmed', null);
      expect(await store.claimTipDay('g1', '2030-06-15', 'tip-c', NOW)).toBe(false);
      await store.markTipPost('g1', '2030-06-15', 'sent', 'msg-1');
      expect(await store.claimTipDay('g1', '2030-06-15', 'tip-c', NOW)).toBe(false);
    });

    it('is refused for a day that is not YYYY-MM-DD', async () => {
      await expect((await temp.open()).claimTipDay('g1', '15.06.2030', 'tip-a', NOW)).rejects.toThrow(/check constraint/i);
    });
  });

  describe('tip posts', () => {
    it('record whether the post was sent, and its message', async () => {
      const store = await temp.open();
      await store.claimTipDay('g1', '2030-06-15', 'tip-a', NOW);
      await store.markTipPost('g1', '2030-06-15', 'sent', 'msg-1');
      expect(await store.lastTipPost('g1')).toMatchObject({ status: 'sent', messageId: 'msg-1' });
      await store.markTipPost('g1', '2030-06-15', 'failed', null);
      expect(await store.lastTipPost('g1')).toMatchObject({ status: 'failed', messageId: null });
    });

    it('cannot be marked without a claim', async () => {
      await expect((await temp.open()).markTipPost('g1', '2030-06-15', 'sent', 'msg-1')).rejects.toThrow(StoreError);
    });

    it('are ordered by local day, not by claim time', async () => {
      const store = await temp.open();
      expect(await store.lastTipPost('g1')).toBeUndefined();
      await store.claimTipDay('g1', '2030-06-16', 'tip-late', NOW);
      await store.claimTipDay('g1', '2030-06-15', 'tip-early', NOW);
      expect((await store.lastTipPost('g1'))?.tipId).toBe('tip-late');
    });

    it('are refused on read when a row was corrupted, naming the table', async () => {
      const store = await temp.open();
      await store.claimTipDay('g1', '2030-06-15', 'tip-a', NOW);
      await temp.sql(`UPDATE tip_posts SET status = 'lost'`);
      await expect(store.lastTipPost('g1')).rejects.toThrow(/invalid row in table tip_posts \(guild_id g1\): status/);
    });
  });

  describe('tip rounds', () => {
    it('accumulate the tips used until a new round starts', async () => {
      const store = await temp.open();
      expect(await store.tipsUsedThisRound('g1')).toEqual([]);
      await store.claimTipDay('g1', '2030-06-01', 'tip-a', NOW);
      await store.claimTipDay('g1', '2030-06-02', 'tip-b', NOW);
      await store.claimTipDay('g2', '2030-06-02', 'tip-c', NOW);
      expect(await store.tipsUsedThisRound('g1')).toEqual(['tip-a', 'tip-b']);

      await store.startNewTipRound('g1');
      expect(await store.tipsUsedThisRound('g1')).toEqual([]);
      expect(await store.tipsUsedThisRound('g2')).toEqual(['tip-c']);

      await store.claimTipDay('g1', '2030-06-03', 'tip-a', NOW);
      expect(await store.tipsUsedThisRound('g1')).toEqual(['tip-a']);
      await store.startNewTipRound('g1');
      await store.startNewTipRound('g1');
      expect(await store.tipsUsedThisRound('g1')).toEqual([]);
    });

    it('leave out tips whose post failed', async () => {
      const store = await temp.open();
      for (const [day, tipId, status] of [['2030-06-01', 'tip-a', 'failed'], ['2030-06-02', 'tip-b', 'sent'], ['2030-06-03', 'tip-c', 'unconfirmed']] as const) {
        await store.claimTipDay('g1', day, tipId, NOW);
        await store.markTipPost('g1', day, status, null);
      }
      expect(await store.tipsUsedThisRound('g1')).toEqual(['tip-b', 'tip-c']);
    });
  });
});
