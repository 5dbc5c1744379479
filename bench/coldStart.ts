// A fresh process that loads the engine and answers one question, as the bot does after a restart; bench/run.ts
// times it from spawning the process to reading the answer. Modes: `built` parses the knowledge base and builds
// the index (loadEngine), `saved` goes through the saved index (loadEngineCached: a hit when one is there).
// Imports only what answering needs, so its start-up is the engine's, not the benchmark's.
import type { Engine } from '../src/answering/engine.js';
import type { EngineCacheEvent } from '../src/answering/engineCache.js';

const [mode, knowledgeDir, dataDir, question = 'which tools should i learn to become an ML engineer?'] = process.argv.slice(2);
const started = performance.now();
const events: EngineCacheEvent[] = [];
let engine: Engine;
if (mode === 'saved') {
  const { loadEngineCached } = await import('../src/answering/engineCache.js');
  engine = await loadEngineCached({ knowledgeDir: knowledgeDir!, dataDir: dataDir!, onEvent: (e) => events.push(e) });
} else {
  const { loadEngine } = await import('../src/answering/engine.js');
  engine = await loadEngine(knowledgeDir!);
}
const ready = performance.now();
const { answerReply } = await import('../src/bot/answerReply.js');
const reply = answerReply(engine.answer(question), false);
const answered = performance.now();
process.stdout.write(
  `${JSON.stringify({
    mode,
    // Milliseconds since the process started (performance.timeOrigin): script start, engine ready, reply built.
    script: Math.round(started),
    ready: Math.round(ready),
    answered: Math.round(answered),
    loadMs: Math.round(ready - started),
    rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    title: reply.embeds?.[0]?.title,
    events: events.map((e) => ({ ...e, ...('error' in e ? { error: String(e.error) } : {}) })),
  })}\n`,
);
