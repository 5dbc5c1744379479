// One run of the servers benchmark in a process of its own (so its memory is its own); prints one JSON line.
// Run by bench/run.ts.
import { parseArgs } from 'node:util';
import { loadEngine } from '../src/answering/engine.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeDirectory, readKnowledgeFiles } from '../src/knowledge/loader.js';
import { allQuestions } from './questions.js';
import { runServerBench, syntheticServerEntries } from './servers.js';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '1000' },
    entries: { type: 'string', default: '200' },
    timed: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    // The knowledge directory, as the benchmark's processes may run from a compiled copy elsewhere.
    knowledge: { type: 'string', default: DEFAULT_KNOWLEDGE_DIR },
  },
});
const options = { servers: Number(values.servers), entriesPerServer: Number(values.entries), timedServers: Number(values.timed), seed: Number(values.seed) };
const real = await loadKnowledgeDirectory(values.knowledge);
const entries = syntheticServerEntries(real, await readKnowledgeFiles(values.knowledge), options.servers, options.entriesPerServer, options.seed);
const engine = await loadEngine(values.knowledge);
console.log(JSON.stringify(await runServerBench(engine, entries, allQuestions(), options)));
