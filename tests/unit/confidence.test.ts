import { describe, expect, it } from 'vitest';
import { assessConfidence, isDomainWord, isSmallTalk, MIN_CONFIDENCE, namesUnknownOccupation, questionWordWeight } from '../../src/answering/confidence.js';
import { findPlaces } from '../../src/search/places.js';
import { toWords } from '../../src/search/terms.js';

const term = (weight: number, matchedByBest: boolean, domain = true) => ({ weight, matchedByBest, matchedByAnswer: matchedByBest, domain });
const clean = { otherSubject: false, placeUnknown: false, smallTalk: false };

describe('confidence', () => {
  it('is the weighted share of the question the answer matches', () => {
    expect(assessConfidence({ ...clean, terms: [term(3, true), term(1, false)] })).toEqual({ confidence: 0.75 });
    expect(assessConfidence({ ...clean, terms: [term(1, true), term(3, false)] })).toEqual({ confidence: 0.25, declineReason: 'weak-match' });
  });

  it('counts the passages beside the best one for half', () => {
    const terms = [term(1, true), { weight: 1, matchedByBest: false, matchedByAnswer: true, domain: true }];
    expect(assessConfidence({ ...clean, terms }).confidence).toBe(0.75);
  });

  it('declines when nothing matched, or only everyday words did', () => {
    expect(assessConfidence({ ...clean, terms: [term(2, false)] })).toEqual({ confidence: 0, declineReason: 'nothing-matched' });
    expect(assessConfidence({ ...clean, terms: [term(2, true, false)] }).declineReason).toBe('off-topic');
  });

  it('declines an off-subject question below the line, however well its words match', () => {
    for (const [flag, reason] of [
      ['otherSubject', 'other-subject'],
      ['placeUnknown', 'unknown-place'],
      ['smallTalk', 'small-talk'],
    ] as const) {
      const assessment = assessConfidence({ ...clean, [flag]: true, terms: [term(3, true)] });
      expect(assessment.declineReason).toBe(reason);
      expect(assessment.confidence).toBeLessThan(MIN_CONFIDENCE);
    }
  });

  it('weighs everyday words less than the field’s words, and rare unknown words most', () => {
    expect(questionWordWeight('hate', undefined, 5)).toBeLessThan(questionWordWeight('backprop', undefined, 5));
    expect(questionWordWeight('backprop', undefined, 5)).toBe(5);
    expect(questionWordWeight('year', 3, 5)).toBeLessThan(questionWordWeight('salary', 3, 5));
  });

  it('tells the field’s words from everyday ones', () => {
    expect(isDomainWord('salary')).toBe(true);
    expect(isDomainWord('ML engineer')).toBe(true);
    expect(isDomainWord('pytorch')).toBe(true);
    expect(isDomainWord('year')).toBe(false);
    expect(isDomainWord('day')).toBe(false);
  });
});

describe('subject checks', () => {
  const known = new Set(['ml', 'engineer', 'engineers', 'data', 'scientist', 'salary', 'average', 'starting', 'skills', 'become']);
  const isKnown = (word: string) => known.has(word);

  it.each([
    ['what skills do i need to become a nurse?', true],
    ['how much do airline pilots make', true],
    ['lawyer salary?', true],
    ['how do i become a data scientist', false],
    ['average salary of an ml engineer', false],
    ['how much do ml engineers make', false],
  ])('"%s" names an occupation the knowledge base lacks: %s', (question, expected) => {
    expect(namesUnknownOccupation(toWords(question), isKnown)).toBe(expected);
  });

  it('finds places, and reads "us" as a place only when it is one', () => {
    expect(findPlaces(toWords('ML engineer salary in Germany vs the United States'))).toEqual(['united states', 'germany']);
    expect(findPlaces(toWords('salary in the US'))).toEqual(['us']);
    expect(findPlaces(toWords('tell us about salaries'))).toEqual([]);
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
