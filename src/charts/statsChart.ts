import { createRequire } from 'node:module';
import type { TopLevelSpec } from 'vega-lite';
import type { KnowledgeStats } from '../storage/store.js';
import { shorten } from '../text/cut.js';

/** What the chart of /kb stats is drawn from: a part of the store's statistics. */
export type StatsChartData = Pick<KnowledgeStats, 'questionsPerDay' | 'mostDeclined'>;

/** The PNG's size in pixels, whatever the data. */
export const STATS_CHART_SIZE = { width: 800, height: 600 } as const;

/** Its two panels, stacked: questions per day above the most declined questions. */
const PER_DAY_HEIGHT = 320;
const DECLINED_HEIGHT = STATS_CHART_SIZE.height - PER_DAY_HEIGHT;

const FONT_FAMILY = 'Inter';
/** Inter ships as TrueType in an npm package, so text renders the same on every machine and no system font is read. */
const FONT_FILES = ['400Regular/Inter_400Regular.ttf', '600SemiBold/Inter_600SemiBold.ttf'];
const ANSWERED_COLOUR = '#5865f2';
const DECLINED_COLOUR = '#e8a317';
const TEXT_COLOUR = '#23272f';
const QUESTION_LABEL_LENGTH = 60;

/** A Vega-Lite chart drawn to fill the whole width and `height` pixels, the panels stacked from the top. */
export interface Panel {
  spec: TopLevelSpec;
  height: number;
}

const base = (width: number, height: number) =>
  ({
    width,
    height,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 16,
    background: 'white',
    config: {
      font: FONT_FAMILY,
      view: { stroke: null },
      title: { fontSize: 20, fontWeight: 600, color: TEXT_COLOUR, anchor: 'start', offset: 12 },
      axis: { labelFontSize: 14, titleFontSize: 14, labelColor: TEXT_COLOUR, titleColor: TEXT_COLOUR, titleFontWeight: 400 },
      legend: { labelFontSize: 14, labelColor: TEXT_COLOUR },
    },
  }) as const;

export const hasQuestions = (data: StatsChartData) => data.questionsPerDay.some((d) => d.answered + d.declined > 0);

/** The chart's panels: pure, so what a chart shows can be checked without drawing it. */
export function statsChartPanels(data: StatsChartData): Panel[] {
  const { width, height } = STATS_CHART_SIZE;
  if (!hasQuestions(data)) {
    return [{ spec: message(height, 32, 'No questions yet', 'Questions asked with /ask or in watched channels will show here, day by day.'), height }];
  }
  const first = data.questionsPerDay[0]!.day;
  const last = data.questionsPerDay.at(-1)!.day;
  const perDay: TopLevelSpec = {
    ...base(width, PER_DAY_HEIGHT),
    title: { text: `Questions per day, last ${data.questionsPerDay.length} days`, subtitle: `${first} to ${last} (UTC)`, subtitleFontSize: 14, subtitleColor: TEXT_COLOUR },
    data: {
      values: data.questionsPerDay.flatMap(({ day, answered, declined }) => [
        { day, outcome: 'answered', questions: answered },
        { day, outcome: 'declined', questions: declined },
      ]),
    },
    mark: { type: 'bar', width: { band: 0.8 } },
    encoding: {
      x: {
        field: 'day',
        type: 'temporal',
        timeUnit: 'utcyearmonthdate',
        title: null,
        bandPosition: 0.5,
        // A label a week apart, ending today.
        axis: { format: '%-d %b', values: data.questionsPerDay.filter((_, i, all) => (all.length - 1 - i) % 7 === 0).map((d) => Date.parse(d.day)), grid: false },
      },
      y: { field: 'questions', type: 'quantitative', stack: 'zero', title: 'questions', axis: { tickMinStep: 1, format: 'd' } },
      color: {
        field: 'outcome',
        type: 'nominal',
        title: null,
        scale: { domain: ['answered', 'declined'], range: [ANSWERED_COLOUR, DECLINED_COLOUR] },
        legend: { orient: 'top', direction: 'horizontal' },
      },
      order: { field: 'outcome', sort: 'ascending' },
    },
  };
  const declined: TopLevelSpec =
    data.mostDeclined.length === 0
      ? message(DECLINED_HEIGHT, 24, 'Nothing declined in 30 days', 'Every question found an answer.')
      : {
          ...base(width, DECLINED_HEIGHT),
          title: 'Most declined: write about these next',
          data: { values: data.mostDeclined.map((q) => ({ question: shorten(q.question, QUESTION_LABEL_LENGTH), times: q.count })) },
          // Each question is written above its bar, across the whole width, rather than squeezed beside it.
          encoding: {
            y: { field: 'question', type: 'nominal', sort: null, axis: null },
            x: { field: 'times', type: 'quantitative', title: 'times declined', axis: { tickMinStep: 1, format: 'd', grid: false } },
          },
          layer: [
            { mark: { type: 'bar', color: DECLINED_COLOUR, height: 10, yOffset: 8 } },
            { mark: { type: 'text', align: 'left', dx: 4, yOffset: 8, fontSize: 14, color: TEXT_COLOUR }, encoding: { text: { field: 'times', type: 'quantitative' } } },
            { mark: { type: 'text', align: 'left', baseline: 'bottom', fontSize: 14, color: TEXT_COLOUR }, encoding: { x: { datum: 0 }, text: { field: 'question' } } },
          ],
        };
  return [
    { spec: perDay, height: PER_DAY_HEIGHT },
    { spec: declined, height: DECLINED_HEIGHT },
  ];
}

/** A panel of text alone: a heading and a line under it, centred. */
function message(height: number, headingSize: number, heading: string, line: string): TopLevelSpec {
  const centred = (text: string, fontSize: number, fontWeight: 400 | 600, dy: number) =>
    ({ mark: { type: 'text', text, fontSize, fontWeight, color: TEXT_COLOUR, align: 'center', x: { expr: 'width / 2' }, y: { expr: `height / 2 + ${dy}` } } }) as const;
  return {
    ...base(STATS_CHART_SIZE.width, height),
    data: { values: [{}] },
    layer: [centred(heading, headingSize, 600, -20), centred(line, 16, 400, 24)],
  };
}

/**
 * The chart of /kb stats as PNG bytes: drawn from `data` alone, with no browser, network or system font. The
 * drawing libraries load on the first call, not when the bot starts.
 */
export async function renderStatsChart(data: StatsChartData): Promise<Uint8Array> {
  const panels = statsChartPanels(data);
  const svgs = await Promise.all(panels.map((panel) => toSvg(panel.spec)));
  const { Resvg } = await import('@resvg/resvg-js');
  const { width, height } = STATS_CHART_SIZE;
  // Each panel fits its own box exactly (Vega-Lite fits single views only), so they are stacked here.
  let top = 0;
  const stacked = svgs.map((svg, i) => {
    const placed = `<g transform="translate(0 ${top})">${svg}</g>`;
    top += panels[i]!.height;
    return placed;
  });
  const page = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="white"/>${stacked.join('')}</svg>`;
  const fonts = createRequire(import.meta.url);
  const png = new Resvg(page, {
    font: { loadSystemFonts: false, fontFiles: FONT_FILES.map((file) => fonts.resolve(`@expo-google-fonts/inter/${file}`)), defaultFontFamily: FONT_FAMILY },
  }).render();
  return png.asPng();
}

async function toSvg(spec: TopLevelSpec): Promise<string> {
  const [vegaLite, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
