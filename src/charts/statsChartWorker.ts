// The entry of the worker thread that draws the chart of /kb stats (see drawStatsChart in offThread.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { renderStatsChart, type StatsChartData } from './statsChart.js';

const png = await renderStatsChart(workerData as StatsChartData);
parentPort!.postMessage(png);
