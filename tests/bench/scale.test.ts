// Quality and the synthetic corpora, at a size that keeps the test fast; the 100,000-passage run is `npm run bench`.
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticKnowledge } from '../../bench/corpus.js';
import { DEV_SET, loadSet } from '../../bench/questions.js';
import { createEngine } from '../../src/answering/engine.js';
import { grade, summarize, type EvalSummary } from '../../src/evaluation/grading.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeDirectory, parseKnowledge, readKnowledgeFiles, type KnowledgeFiles } from '../../src/knowledge/loader.js';
import type { KnowledgeBase } from '../../src/knowledge/schema.js';

let real: KnowledgeBase;
let files: KnowledgeFiles;

beforeAll(async () => {
  real = await loadKnowledgeDirectory(DEFAULT_KNOWLEDGE_DIR);
  files = await readKnowledgeFiles(DEFAULT_KNOWLEDGE_DIR);
});

const devScore = (knowledge: KnowledgeBase): EvalSummary => {
  const engine = createEngine(knowledge);
  return summarize(loadSet(DEV_SET).map((q) => grade(q, engine.answer(q.question), engine.search(q.question, 3))));
};
const share = (s: { right: number; total: number }) => (100 * s.right) / s.total;

describe('synthetic knowledge bases', () => {
  it('are the same for the same seed, and valid knowledge bases of exactly the size asked', () => {
    const one = syntheticKnowledge(real, files, 300, 3);
    expect(syntheticKnowledge(real, files, 300, 3)).toEqual(one);
    expect(syntheticKnowledge(real, files, 300, 4).files).not.toEqual(one.files);
    expect(parseKnowledge(one.files).passages).toHaveLength(real.passages.length + 300);
  });

  it("grow their vocabulary as Heaps' law has it: more new words with size, fewer per word written", () => {
    const small = syntheticKnowledge(real, files, 500, 1).stats;
    const large = syntheticKnowledge(real, files, 4000, 1).stats;
    expect(large.coined).toBeGreaterThan(small.coined);
    expect(large.coined / large.tokens).toBeLessThan(small.coined / small.tokens);
  });

  it('do not repeat the real passages or headings', () => {
    const synthetic = parseKnowledge(syntheticKnowledge(real, files, 1000, 2).files).passages.filter((p) => p.id.startsWith('s0'));
    const texts = new Set(real.passages.map((p) => p.text));
    const headings = new Set(real.passages.map((p) => p.heading.toLowerCase()));
    expect(synthetic.filter((p) => texts.has(p.text) || headings.has(p.heading.toLowerCase()))).toEqual([]);
  });
});

describe('quality at scale', () => {
  it('keeps the dev set within 5 points of the real knowledge base with 10,000 distractor passages mixed in', () => {
    const base = devScore(real);
    const mixed = devScore(parseKnowledge(syntheticKnowledge(real, files, 10_000, 1).files));
    expect(Math.abs(share(mixed.inScope) - share(base.inScope))).toBeLessThanOrEqual(5);
    expect(Math.abs(share(mixed.outOfScope) - share(base.outOfScope))).toBeLessThanOrEqual(5);
  });
});
