// The servers benchmark's entries and its run, at a size that keeps the test fast; 1,000 servers is `npm run bench`.
import { beforeAll, describe, expect, it } from 'vitest';
import { allQuestions } from '../../bench/questions.js';
import { runServerBench, syntheticServerEntries } from '../../bench/servers.js';
import { loadEngine } from '../../src/answering/engine.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeDirectory, readKnowledgeFiles, type KnowledgeFiles } from '../../src/knowledge/loader.js';
import type { KnowledgeBase } from '../../src/knowledge/schema.js';
import { entryContentSchema } from '../../src/storage/store.js';

let real: KnowledgeBase;
let files: KnowledgeFiles;

beforeAll(async () => {
  real = await loadKnowledgeDirectory(DEFAULT_KNOWLEDGE_DIR);
  files = await readKnowledgeFiles(DEFAULT_KNOWLEDGE_DIR);
});

describe('synthetic server entries', () => {
  it('are valid entries with distinct titles in each server, the same for the same seed', async () => {
    const servers = syntheticServerEntries(real, files, 3, 40, 7);
    expect(servers.map((entries) => entries.length)).toEqual([40, 40, 40]);
    for (const entries of servers) {
      for (const entry of entries) expect(entryContentSchema.safeParse(entry).success).toBe(true);
      expect(new Set(entries.map((e) => e.title.toLowerCase())).size).toBe(40);
    }
    expect(syntheticServerEntries(real, files, 3, 40, 7)).toEqual(servers);
  });
});

describe('the servers benchmark', () => {
  it('answers questions about a server’s entries from them, and a new entry at once', async () => {
    const entries = syntheticServerEntries(real, files, 4, 30, 1);
    const result = await runServerBench(await loadEngine(DEFAULT_KNOWLEDGE_DIR), entries, allQuestions().slice(0, 10), { servers: 4, entriesPerServer: 30, timedServers: 2, seed: 1 });
    expect(result.answer.samples).toBe(2 * 10 * 2);
    expect(result.answer.answeredFromEntries).toBeGreaterThan(0.5);
    expect(result.addAndAnswer).toMatchObject({ samples: 2, answeredFromNew: 2 });
    expect(result.keptServers).toBe(4);
  });
});
