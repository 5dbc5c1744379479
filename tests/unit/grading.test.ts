import { describe, expect, it } from 'vitest';
import { containsAlternative, missingGroups, normalizeForGrading } from '../../src/evaluation/grading.js';

describe('grading an answer against expected facts', () => {
  it('lower-cases and turns punctuation into spaces', () => {
    expect(normalizeForGrading('**$146,085** — Master’s!')).toBe(' 146 085 master s ');
  });

  it('matches whole words, with * as a word prefix', () => {
    const text = normalizeForGrading('Software engineers build web apps; the SWE role.');
    expect(containsAlternative(text, 'software engineer*')).toBe(true);
    expect(containsAlternative(text, 'software engineer')).toBe(false);
    expect(containsAlternative(text, 'swe')).toBe(true);
    expect(containsAlternative(text, 'sw')).toBe(false);
    expect(containsAlternative(text, 'r')).toBe(false);
  });

  it('lists the groups an answer misses', () => {
    expect(missingGroups('Python and Java', [['python'], ['java', 'scala'], ['c', 'r']])).toEqual([['c', 'r']]);
  });
});
