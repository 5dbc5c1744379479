import { describe, expect, it } from 'vitest';
import { drawStatsChart } from '../../src/charts/offThread.js';
import { renderStatsChart, STATS_CHART_SIZE, statsChartPanels, type StatsChartData } from '../../src/charts/statsChart.js';
import type { QuestionRecord, Store } from '../../src/storage/store.js';
import { testStore } from '../support/commandContext.js';
import { pngSize } from '../support/png.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

async function ask(store: Store, question: string, daysAgo: number, answered: boolean): Promise<void> {
  const record: QuestionRecord = {
    guildId: 'g1',
    asker: store.memberHash('700000000000000001'),
    question,
    answered,
    confidence: answered ? 0.9 : 0.1,
    unmatchedTerms: [],
    passageIds: [],
    via: 'slash',
    askedAt: new Date(NOW.getTime() - daysAgo * DAY_MS),
  };
  await store.logQuestions([record]);
}

/** The chart's data as /kb stats reads it: from the store. */
async function chartData(asked: (store: Store) => Promise<void> = async () => undefined): Promise<StatsChartData> {
  const store = testStore();
  await asked(store);
  return store.knowledgeStats('g1', NOW);
}

const busyServer = () =>
  chartData(async (store) => {
    await ask(store, 'what is data drift', 0, true);
    await ask(store, 'what is data drift', 2, true);
    await ask(store, 'how do I become a nurse?', 2, false);
    await ask(store, 'how do I become a nurse?', 9, false);
    await ask(store, 'how do i bake bread', 20, false);
  });

type Values = { values: Record<string, unknown>[] };
const valuesOf = (panel: { spec: unknown }) => ((panel.spec as { data: Values }).data.values);

describe('the chart of /kb stats', () => {
  it('charts the store’s questions per day, answered against declined, and the most declined questions', async () => {
    const [perDay, declined, ...more] = statsChartPanels(await busyServer());
    expect(more).toEqual([]);
    const days = valuesOf(perDay!);
    expect(days).toHaveLength(60);
    expect(days.filter((d) => d.questions !== 0)).toEqual([
      { day: '2026-11-03', outcome: 'declined', questions: 1 },
      { day: '2026-11-14', outcome: 'declined', questions: 1 },
      { day: '2026-11-21', outcome: 'answered', questions: 1 },
      { day: '2026-11-21', outcome: 'declined', questions: 1 },
      { day: '2026-11-23', outcome: 'answered', questions: 1 },
    ]);
    expect(valuesOf(declined!)).toEqual([
      { question: 'how do I become a nurse?', times: 2 },
      { question: 'how do i bake bread', times: 1 },
    ]);
    expect(perDay!.height + declined!.height).toBe(STATS_CHART_SIZE.height);
  });

  it('says plainly that there are no questions yet, in a picture of its own', async () => {
    const panels = statsChartPanels(await chartData());
    expect(panels).toHaveLength(1);
    expect(JSON.stringify(panels[0]!.spec)).toContain('No questions yet');
    expect(panels[0]!.height).toBe(STATS_CHART_SIZE.height);
  });

  it('is a PNG of 800 × 600 pixels, different for different data, with or without questions', async () => {
    const busy = await renderStatsChart(await busyServer());
    const quieter = await renderStatsChart(await chartData((store) => ask(store, 'what is data drift', 1, true)));
    const empty = await renderStatsChart(await chartData());
    for (const png of [busy, quieter, empty]) expect(pngSize(png)).toEqual(STATS_CHART_SIZE);
    expect(new Set([busy, quieter, empty].map((png) => Buffer.from(png).toString('base64'))).size).toBe(3);
  }, 30_000);

  it('writes a question with markup characters as the text it is', async () => {
    const png = await renderStatsChart(await chartData((store) => ask(store, 'R&D <i>salary</i> in "Berlin"?', 1, false)));
    expect(pngSize(png)).toEqual(STATS_CHART_SIZE);
  });

  it('is drawn the same in a worker thread, away from the thread that answers', async () => {
    const data = await busyServer();
    expect(Buffer.from(await drawStatsChart(data)).equals(Buffer.from(await renderStatsChart(data)))).toBe(true);
  }, 30_000);
});
