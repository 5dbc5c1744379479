import { Worker } from 'node:worker_threads';
import type { StatsChartData } from './statsChart.js';

/** The worker beside this module: TypeScript under tsx (npm start, tests), JavaScript when compiled (dist/). */
const COMPILED = import.meta.url.endsWith('.js');
const WORKER_ENTRY = new URL(COMPILED ? './statsChartWorker.js' : './statsChartWorker.ts', import.meta.url).href;

/**
 * Draws the chart of /kb stats in a worker thread, so that loading the drawing libraries (half a second) and
 * drawing never hold up answers on the main thread; the worker ends with each chart, freeing their memory.
 * Under tsx the worker registers tsx itself: on Node 20 an inherited `--import tsx` does not reach a worker's entry.
 */
export function drawStatsChart(data: StatsChartData): Promise<Uint8Array> {
  const bootstrap = COMPILED
    ? `import(${JSON.stringify(WORKER_ENTRY)})`
    : `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_ENTRY)}); })`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(bootstrap, { eval: true, workerData: data, execArgv: [] });
    worker.once('message', (png: Uint8Array) => resolve(png));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the chart worker exited (code ${code}) without a chart`)));
  });
}
