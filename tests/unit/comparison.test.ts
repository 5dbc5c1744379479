import { describe, expect, it } from 'vitest';
import { detectComparison } from '../../src/search/comparison.js';
import { TermAnalyzer, toWords } from '../../src/search/terms.js';

const analyzer = new TermAnalyzer();
const detect = (question: string) => {
  const words = toWords(question);
  return detectComparison(words, analyzer.terms(words));
};

describe('comparison questions', () => {
  it.each([
    ['ml engineer vs statistician', ['ml-engineer', 'statistician']],
    ['statistician vs ml engineer', ['ml-engineer', 'statistician']],
    ['difference between a data scientist and an MLE', ['ml-engineer', 'data-scientist']],
    ['MLE and DS: what is the difference?', ['ml-engineer', 'data-scientist']],
    ['should I be a data analyst or a data scientist?', ['data-scientist', 'data-analyst']],
    ['should I be a data scientist or a data analyst?', ['data-scientist', 'data-analyst']],
    ['SWE versus machine learning engineer', ['ml-engineer', 'software-engineer']],
    ['how is a statistician different?', ['ml-engineer', 'statistician']],
    ['compare developers with ML engineers', ['ml-engineer', 'software-engineer']],
  ])('finds the roles in "%s", in a fixed order', (question, roles) => {
    expect(detect(question)).toEqual(roles);
  });

  it.each([
    'what does an ML engineer do',
    'im a SWE, how do i move into ML engineering?',
    'should I learn python or R as a data scientist?',
    'which tools should I learn?',
  ])('does not read "%s" as a comparison', (question) => {
    expect(detect(question)).toBeUndefined();
  });
});
