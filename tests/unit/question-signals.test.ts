import { describe, expect, it } from 'vitest';
import { askingSentences, isDomainWord, isSmallTalk, mentionsPhrase, namedJobs, questionWordWeight, wordSets } from '../../src/answering/questionSignals.js';
import { findPlaces } from '../../src/search/places.js';
import { toWords } from '../../src/search/terms.js';

describe('question word weights', () => {
  it('weighs everyday words less than the field’s words, and rare unknown words most', () => {
    expect(questionWordWeight('hate', undefined, 5)).toBeLessThan(questionWordWeight('backprop', undefined, 5));
    expect(questionWordWeight('backprop', undefined, 5)).toBe(5);
    expect(questionWordWeight('year', 3, 5)).toBeLessThan(questionWordWeight('salary', 3, 5));
    expect(questionWordWeight('germany', 3, 5, true)).toBeLessThan(questionWordWeight('germany', 3, 5));
  });

  it('tells the field’s words from everyday ones', () => {
    expect(isDomainWord('salary')).toBe(true);
    expect(isDomainWord('ML engineer')).toBe(true);
    expect(isDomainWord('pytorch')).toBe(true);
    expect(isDomainWord('year')).toBe(false);
    expect(isDomainWord('day')).toBe(false);
  });
});

describe('subjects a question names', () => {
  it.each([
    ['how much do data engineers make', ['data engineers']],
    ['how much does a nurse earn?', ['nurse']],
    ['what skills do i need to become a nurse?', ['nurse']],
    ['lawyer salary?', ['lawyer']],
    ['average pay for truck drivers in the us', ['truck drivers']],
    ['what is the salary of a nurse', ['nurse']],
    ['salary for a data scientist in the us', []],
    ['what is the pay of an ml engineer', []],
    ['how do i become a research scientist', ['research scientist']],
    ['what does an ML engineer do all day', []],
    ['is python enough', []],
    ['what does a machine learning engineer earn in the US', []],
    ['average ml engineer salary', []],
  ])('"%s" names the jobs %j', (question, jobs) => {
    const roles = new Set(['ml engineer', 'machine learning engineer', 'data scientist']);
    const known = new Set(['data', 'engineer', 'engineers', 'average', 'salary', 'ml', 'machine', 'learning', 'research']);
    expect(namedJobs(toWords(question), { isRole: (phrase) => roles.has(phrase), isKnown: (word) => known.has(word) })).toEqual(jobs);
  });

  it('finds a job or place in a passage as whole words, plural or not', () => {
    const text = wordSets('Data engineers build pipelines. Salaries in India differ.');
    expect(mentionsPhrase(text.words, 'data engineer', text.bigrams)).toBe(true);
    expect(mentionsPhrase(text.words, 'india', text.bigrams)).toBe(true);
    expect(mentionsPhrase(text.words, 'research scientist', text.bigrams)).toBe(false);
    expect(mentionsPhrase(text.words, 'germany', text.bigrams)).toBe(false);
  });

  it('finds places, and reads "us" as a place only when it is one', () => {
    expect(findPlaces(toWords('ML engineer salary in Germany vs the United States'))).toEqual(['united states', 'germany']);
    expect(findPlaces(toWords('salary in the US'))).toEqual(['us']);
    expect(findPlaces(toWords('tell us about salaries'))).toEqual([]);
  });
});

describe('what a message asks', () => {
  it.each([
    ['im 27 and work in logistics. is a masters worth it for mle?', 'is a masters worth it for mle?'],
    ['Long story short I quit my job.\nShould I learn pytorch or tensorflow first', 'Should I learn pytorch or tensorflow first'],
    ['need advice on switching from swe to mle', 'need advice on switching from swe to mle'],
  ])('"%s" asks "%s"', (message, asking) => {
    expect(askingSentences(message)).toBe(asking);
  });

  it.each([
    ['hi', true],
    ['yo bot hows ur day going lol', true],
    ['how are you?', true],
    ['who made you', true],
    ['thanks!', true],
    ['how are you supposed to learn the maths for ML', false],
    ['hey bot, ML engineer vs SWE?', false],
  ])('"%s" is small talk: %s', (question, expected) => {
    expect(isSmallTalk(question)).toBe(expected);
  });
});
