import { describe, expect, it } from 'vitest';
import { copiedRuns } from '../../src/knowledge/copiedRuns.js';

describe('finding sentences taken from a cited page', () => {
  const page = new Map([['bls', 'The median annual wage for data scientists was $108,020 in May 2023, and employment is projected to grow 36 percent.']]);

  it('finds a run of twelve or more words shared word for word, whatever the case and punctuation', () => {
    const runs = copiedRuns('As BLS puts it: the Median annual wage for data scientists was $108,020 in May 2023, and more.', page);
    expect(runs).toEqual([{ words: 14, text: 'the median annual wage for data scientists was 108 020 in may 2023 and', from: 'bls' }]);
  });

  it('lets the same facts through in other words', () => {
    expect(copiedRuns('In May 2023 half of US data scientists earned more than $108,020 a year (BLS).', page)).toEqual([]);
  });
});
