import { describe, expect, it } from 'vitest';
import { SpellingCorrector } from '../../src/search/spelling.js';
import { toWords } from '../../src/search/terms.js';

const corrector = new SpellingCorrector([
  ['engineer', 40],
  ['statistician', 5],
  ['pytorch', 3],
  ['tensorflow', 3],
  ['make', 9],
  ['models', 20],
  ['modes', 1],
]);
const correct = (text: string) => corrector.correct(toWords(text)).map((w) => w.word);

describe('typo correction against the knowledge base vocabulary', () => {
  it('corrects one edit in longer words and two in long ones', () => {
    expect(correct('enginer')).toEqual(['engineer']);
    expect(correct('pytroch')).toEqual(['pytorch']);
    expect(correct('statistican')).toEqual(['statistician']);
    expect(correct('tensorflwo')).toEqual(['tensorflow']);
  });

  it('never changes a word the knowledge base or the lexicon knows', () => {
    expect(correct('modes models')).toEqual(['modes', 'models']);
    expect(correct('what is the salary')).toEqual(['what', 'is', 'the', 'salary']);
  });

  it('leaves short words and words with another first letter alone', () => {
    expect(correct('bake')).toEqual(['bake']);
    expect(correct('ngineer')).toEqual(['ngineer']);
  });

  it('reads a misspelt stop word as the word it misspells, and leaves short acronyms alone', () => {
    expect(correct('shoud actualy betwen')).toEqual(['should', 'actually', 'between']);
    expect(correct('sas sre hrs')).toEqual(['sas', 'sre', 'hrs']);
  });

  it('records what was typed', () => {
    expect(corrector.correct(toWords('Enginer'))[0]).toEqual({ word: 'engineer', surface: 'engineer', typed: 'Enginer' });
  });
});

describe('a server’s own words beside the shared ones', () => {
  const own = new SpellingCorrector([['kaggler', 3], ['mentorship', 2]], { fewWords: true });

  it('are never typos, and typos of them are corrected to them, without a tree of their own', () => {
    const words = (text: string) => corrector.correct(toWords(text), own).map((w) => w.word);
    expect(words('kaggler mentorshp enginer')).toEqual(['kaggler', 'mentorship', 'engineer']);
    expect(own.correct(toWords('pytroch kagglr')).map((w) => w.word)).toEqual(['pytroch', 'kaggler']);
  });
});
