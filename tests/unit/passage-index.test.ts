import MiniSearch from 'minisearch';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticKnowledge } from '../../bench/corpus.js';
import { allQuestions } from '../../bench/questions.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeDirectory, parseKnowledge, readKnowledgeFiles } from '../../src/knowledge/loader.js';
import type { Passage } from '../../src/knowledge/schema.js';
import { INDEX_FORMAT_VERSION, MINISEARCH_OPTIONS, PassageIndex, type WeightedTerm } from '../../src/search/passageIndex.js';
import { TermAnalyzer, toWords } from '../../src/search/terms.js';

let passages: Passage[];
let index: PassageIndex;
let reference: MiniSearch;
const analyzer = new TermAnalyzer();

beforeAll(async () => {
  const real = await loadKnowledgeDirectory(DEFAULT_KNOWLEDGE_DIR);
  // The real passages among 600 synthetic ones: long postings, near ties, passages about both roles.
  passages = parseKnowledge(syntheticKnowledge(real, await readKnowledgeFiles(DEFAULT_KNOWLEDGE_DIR), 600, 7).files).passages;
  index = PassageIndex.build(passages, analyzer);
  reference = new MiniSearch(MINISEARCH_OPTIONS);
  reference.addAll(
    passages.map((p) => ({
      id: p.id,
      title: analyzer.textTerms(p.documentTitle).join(' '),
      heading: analyzer.textTerms(p.heading).join(' '),
      text: analyzer.textTerms(p.text).join(' '),
      phrasings: analyzer.textTerms(p.phrasings.join('\n')).join(' '),
    })),
  );
});

/** The query terms of a question as the engine weighs them, with a repeated term now and then. */
function queries(): { question: string; terms: WeightedTerm[]; boost?: (i: number) => number }[] {
  return allQuestions().map((q, i) => {
    const terms = [...new Set(analyzer.terms(toWords(q.question)).map((t) => t.term))].map((term, k) => ({ term, weight: k % 3 === 1 ? 0.7 : 1 }));
    if (i % 4 === 0 && terms.length) terms.push({ term: terms[0]!.term, weight: 0.5 });
    const boost = i % 2 ? (p: number) => (passages[p]!.roles.length === 2 ? 2 : passages[p]!.roles.length === 1 ? 1.2 : 1) : undefined;
    return { question: q.question, terms, ...(boost ? { boost } : {}) };
  });
}

describe('the passage index', () => {
  it("ranks exactly as MiniSearch does over the same fields: same passages, same order, same scores to the bit", () => {
    const position = new Map(passages.map((p, i) => [p.id, i]));
    for (const { question, terms, boost } of queries()) {
      const weightOf = new Map(terms.map((t) => [t.term, t.weight]));
      const expected = reference
        .search(terms.map((t) => t.term).join(' '), {
          boostTerm: (term: string) => weightOf.get(term) ?? 1,
          ...(boost ? { boostDocument: (id: string) => boost(position.get(id)!) } : {}),
        })
        .sort((a, b) => b.score - a.score || (String(a.id) < String(b.id) ? -1 : 1))
        .slice(0, 40)
        .map((r) => ({ id: r.id as string, score: r.score, queryTerms: r.queryTerms }));
      const actual = index.search(terms, { limit: 40, ...(boost ? { boostPassage: boost, maxBoost: 2 } : {}) }).map(({ id, score, queryTerms }) => ({ id, score, queryTerms }));
      expect(actual, question).toEqual(expected);
    }
  });

  it('counts the passages holding a term and its idf as before', () => {
    const ids = new Set(passages.filter((p) => analyzer.textTerms(`${p.documentTitle} ${p.heading} ${p.text}`).includes('salari')).map((p) => p.id));
    expect(index.documentFrequency('salari')).toBe(ids.size);
    expect(index.documentFrequency('no-such-term')).toBe(0);
    expect(index.idf('')).toBeGreaterThan(index.idf('salari'));
  });

  it('returns nothing for unknown terms and at most the limit asked', () => {
    expect(index.search([{ term: 'no-such-term', weight: 1 }])).toEqual([]);
    expect(index.search([{ term: 'mlengineer', weight: 1 }], { limit: 7 })).toHaveLength(7);
  });

  it('restores from its saved state to an index that answers the same', () => {
    const restored = PassageIndex.restore(index.save());
    for (const { terms } of queries().slice(0, 30)) expect(restored.search(terms)).toEqual(index.search(terms));
    expect(restored.spelling.correct(toWords('responsibilites')).map((w) => w.word)).toEqual(index.spelling.correct(toWords('responsibilites')).map((w) => w.word));
  });

  it('refuses a saved state of another version or an inconsistent one', () => {
    const state = index.save();
    expect(() => PassageIndex.restore({ ...state, version: INDEX_FORMAT_VERSION + 1 })).toThrow(/format/);
    expect(() => PassageIndex.restore({ ...state, documentFrequency: state.documentFrequency.subarray(1) })).toThrow(/not usable/);
    const [heading, ...rest] = state.fields;
    expect(() => PassageIndex.restore({ ...state, fields: [{ ...heading!, docs: heading!.docs.subarray(1) }, ...rest] })).toThrow(/truncated/);
    const wrongDocs = heading!.docs.slice();
    wrongDocs[0] = passages.length;
    expect(() => PassageIndex.restore({ ...state, fields: [{ ...heading!, docs: wrongDocs }, ...rest] })).toThrow(/does not exist/);
  });
});
