import { describe, expect, it } from 'vitest';
import { cleanQuestion, MAX_QUESTION_CHARS, TermAnalyzer, toWords } from '../../src/search/terms.js';

const analyzer = new TermAnalyzer();
const termsOf = (text: string) => analyzer.textTerms(text);

describe('cleaning a question', () => {
  it('removes mentions, links, markdown and control characters', () => {
    expect(cleanQuestion('<@123456789012345678> **ML** engineer @everyone vs <@&98765> `DS`\u0000\u200b https://x.example/a?')).toBe('ML engineer vs DS');
    expect(cleanQuestion('@MLCareerBot @here which tools, e.g. for ml@scale?')).toBe('which tools, e.g. for ml@scale?');
  });

  it('bounds the length', () => {
    expect(cleanQuestion('word '.repeat(5000)).length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
  });
});

describe('words', () => {
  it('keeps language names and money that punctuation would break', () => {
    expect(toWords('C++, C# and .NET for $98,000 or 98k').map((w) => w.word)).toEqual(['cplusplus', 'csharp', 'and', 'dotnet', 'for', '98000', 'or', '98000']);
  });

  it('folds accents and apostrophes', () => {
    expect(toWords("Master’s in Zürich").map((w) => w.word)).toEqual(['masters', 'in', 'zurich']);
  });
});

describe('the term pipeline', () => {
  it('drops stop words and chat filler', () => {
    expect(termsOf('hey bot, what is the actual salary lol')).toEqual(termsOf('salary'));
  });

  it('stems inflections to one term', () => {
    expect(termsOf('models')).toEqual(termsOf('model'));
    expect(termsOf('deploying deployed')).toEqual([...termsOf('deploy'), ...termsOf('deploy')]);
  });

  it.each([
    ['MLE', 'ML engineer', 'machine learning engineer', 'ml engineers', 'ML eng'],
    ['DS', 'data scientist', 'data scientists'],
    ['SWE', 'software engineer', 'developer', 'software developer'],
    ['stats', 'statistics', 'statistical'],
    ['pay', 'salary', 'earn', 'compensation', 'salaries', 'wages'],
    ['learn', 'study', 'studying'],
    ['sklearn', 'scikit-learn', 'scikit learn'],
    ['AWS', 'Amazon Web Services'],
    ['GCP', 'Google Cloud Platform', 'google cloud'],
    ['junior', 'entry-level', 'entry level', 'beginner'],
    ['visualisation', 'visualization', 'viz'],
    ['optimise', 'optimize'],
  ])('treats %s and its synonyms alike', (...spellings) => {
    const expected = termsOf(spellings[0]!);
    expect(expected).toHaveLength(1);
    for (const spelling of spellings) expect(termsOf(spelling), spelling).toEqual(expected);
  });

  it('tells the degree from the verb', () => {
    expect(termsOf("do I need a master's?")).toEqual(termsOf('masters degree'));
    expect(termsOf('which tools must I master')).not.toEqual(expect.arrayContaining(termsOf('masters degree')));
  });

  it('joins phrases before reading single words', () => {
    expect(termsOf('machine learning')).toEqual(['ml']);
    expect(termsOf('data drift')).not.toEqual(termsOf('data'));
  });

  it('reads "US" as the country and "us" as a pronoun', () => {
    expect(termsOf('salary in the US')).toContain('us');
    expect(termsOf('salary in the us')).toContain('us');
    expect(termsOf('tell us about salary')).not.toContain('us');
  });

  it('remembers each word once and gives the same answer every time', () => {
    expect(termsOf('Engineers engineering')).toEqual(termsOf('engineer engineer'));
  });
});
