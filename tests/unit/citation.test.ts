import { describe, expect, it } from 'vitest';
import { citeSource, sourceDate } from '../../src/knowledge/citation.js';

describe('citing a source', () => {
  it('gives the date as precisely as the source does', () => {
    expect(sourceDate({ id: 'a', title: 'T', date: '2024-04-23' })).toBe('23 Apr 2024');
    expect(sourceDate({ id: 'a', title: 'T', date: '2023-12-01' })).toBe('1 Dec 2023');
    expect(sourceDate({ id: 'a', title: 'T', year: 2024 })).toBe('2024');
  });

  it('names the author, or else the publisher, and the title with its subtitle', () => {
    expect(citeSource({ id: 'a', title: 'How to Become an ML Engineer', subtitle: 'A Guide', author: 'R. Shankar', date: '2024-04-23' })).toBe(
      'R. Shankar, “How to Become an ML Engineer: A Guide” (23 Apr 2024)',
    );
    expect(citeSource({ id: 'b', title: 'What Does an ML Engineer Do?', publisher: 'Code Labs Academy', year: 2024 })).toBe(
      'Code Labs Academy, “What Does an ML Engineer Do?” (2024)',
    );
  });
});
