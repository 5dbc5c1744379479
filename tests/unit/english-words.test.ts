import { describe, expect, it, vi } from 'vitest';

describe('everyday English ranks', () => {
  it('read from a saved table exactly as from the word list', async () => {
    const fromList = await import('../../src/search/englishWords.js');
    const table = fromList.englishRankTable();
    const sample = [...table.words.filter((_, i) => i % 97 === 0), 'pytorch', 'salary', 'the', 'Year', 'zzzq', ''];
    const expected = sample.map((word) => fromList.englishRank(word));

    vi.resetModules();
    const fromTable = await import('../../src/search/englishWords.js');
    fromTable.useEnglishRankTable(table);
    expect(sample.map((word) => fromTable.englishRank(word))).toEqual(expected);
    expect(fromTable.englishRankTable()).toEqual(table);
  });

  it('ignore a table out of order', async () => {
    vi.resetModules();
    const module = await import('../../src/search/englishWords.js');
    module.useEnglishRankTable({ words: ['b', 'a'], ranks: Uint32Array.of(1, 2) });
    expect(module.englishRank('you')).toBe(1);
  });
});
