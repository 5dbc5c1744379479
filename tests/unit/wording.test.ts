import { describe, expect, it } from 'vitest';
import { TermAnalyzer, toWords } from '../../src/search/terms.js';
import { wordingAgreement, WordingMatcher } from '../../src/search/wording.js';

const analyzer = new TermAnalyzer();
const phrasing = (text: string) => analyzer.phrasing(toWords(text));
const agreement = (question: string, heading: string) => wordingAgreement(phrasing(question), phrasing(heading));

describe('how closely a heading restates a question', () => {
  it('keeps the small words but articles, and reads words as the index does (plurals, phrases, synonyms)', () => {
    expect(phrasing('How did the ML engineers come about?')).toEqual(['how', 'did', 'mlengineer', 'come', 'about']);
    expect(phrasing('a data scientist or an ML engineer')).toEqual(['datascientist', 'or', 'mlengineer']);
    expect(phrasing('machine learning engineer')).toEqual(phrasing('ML engineers'));
  });

  it('is 1 for the same wording and 0 for nothing in common or nothing at all', () => {
    expect(agreement('What is machine learning?', 'what is ML')).toBe(1);
    expect(agreement('what is data drift', 'Salaries in India')).toBe(0);
    expect(agreement('', 'Salaries in India')).toBe(0);
    expect(agreement('what is data drift', '')).toBe(0);
  });

  it('prefers the heading asking the question to one reusing its content words', () => {
    const question = 'how did the ML engineer role even come about';
    const restatement = agreement(question, 'How did the machine learning engineer role come about?');
    expect(restatement).toBeGreaterThan(0.9);
    expect(agreement(question, 'Is ML engineer role come about?')).toBeLessThan(restatement - 0.2);
    expect(agreement(question, 'Can an ML engineer role come about?')).toBeLessThan(restatement - 0.2);
  });

  it('counts words in the order asked', () => {
    expect(agreement('data scientist to ml engineer', 'ML engineer to data scientist')).toBeLessThan(agreement('data scientist to ml engineer', 'data scientist to ML engineer'));
  });
});

describe('a question matched against many headings and phrasings', () => {
  const texts = ['How did the machine learning engineer role come about?', 'Is ML engineer role come about?', 'what is data drift', '', 'engineer engineer engineer role', 'role about come how'].map(phrasing);

  it('finds the best agreement of any wording with any text, as matching each pair would', () => {
    for (const questions of [['how did the ML engineer role even come about'], ['data scientist to ml engineer', 'ml engineer to data scientist'], ['what is drift'], ['']]) {
      const wordings = questions.map(phrasing);
      const everyPair = Math.max(0, ...wordings.flatMap((w) => texts.map((t) => wordingAgreement(w, t))));
      expect(new WordingMatcher(wordings).best(texts)).toBe(everyPair);
      for (const text of texts) expect(new WordingMatcher(wordings).best([text])).toBe(Math.max(0, ...wordings.map((w) => wordingAgreement(w, text))));
    }
    expect(new WordingMatcher([phrasing('what is ML')]).best([])).toBe(0);
  });
});
