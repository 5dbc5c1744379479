import { describe, expect, it } from 'vitest';
import { citeSource, sourceDate } from '../../src/knowledge/citation.js';
import { documentsDueForReview } from '../../src/knowledge/freshness.js';

describe('citing a source', () => {
  it('gives the date as precisely as the source does', () => {
    expect(sourceDate({ id: 'a', title: 'T', date: '2024-04-23' })).toBe('23 Apr 2024');
    expect(sourceDate({ id: 'a', title: 'T', date: '2023-12-01' })).toBe('1 Dec 2023');
    expect(sourceDate({ id: 'a', title: 'T', year: 2024 })).toBe('2024');
    expect(sourceDate({ id: 'a', title: 'T', accessed: '2026-12-05' })).toBe('undated; read 5 Dec 2026');
  });

  it('names the author, or else the publisher, and the title with its subtitle', () => {
    expect(citeSource({ id: 'a', title: 'How to Become an ML Engineer', subtitle: 'A Guide', author: 'R. Shankar', date: '2024-04-23' })).toBe(
      'R. Shankar, “How to Become an ML Engineer: A Guide” (23 Apr 2024)',
    );
    expect(citeSource({ id: 'b', title: 'What Does an ML Engineer Do?', publisher: 'Code Labs Academy', year: 2024 })).toBe(
      'Code Labs Academy, “What Does an ML Engineer Do?” (2024)',
    );
  });

  it('gives the year of its figures when they are not the year it came out', () => {
    const handbook = { id: 'bls', title: 'Data Scientists', publisher: 'US Bureau of Labor Statistics', date: '2025-08-28', figuresYear: 2024 };
    expect(citeSource(handbook)).toBe('US Bureau of Labor Statistics, “Data Scientists” (28 Aug 2025; figures for 2024)');
    expect(citeSource({ ...handbook, figuresYear: 2025 })).toBe('US Bureau of Labor Statistics, “Data Scientists” (28 Aug 2025)');
  });
});

describe('documents due for review', () => {
  it('lists those a person has not checked for a year, oldest first', () => {
    const document = (file: string, reviewed: string) => ({ id: file, file, passageIds: [], frontMatter: { title: file, topic: 't', sources: ['s'], reviewed } });
    const knowledge = { documents: [document('a.md', '2025-12-06'), document('b.md', '2024-01-01'), document('c.md', '2025-06-01')], passages: [], sources: [], tips: [] };
    expect(documentsDueForReview(knowledge, new Date('2026-12-05T12:00:00Z')).map((d) => d.file)).toEqual(['b.md', 'c.md']);
  });
});
