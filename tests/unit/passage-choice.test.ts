import { describe, expect, it } from 'vitest';
import { choosePassages, type Candidate, type QuestionAnalysis, type Ranking } from '../../src/answering/decision.js';
import type { RoleId } from '../../src/search/lexicon.js';

function candidate(id: string, roles: RoleId[], text: string[]): Candidate {
  return {
    index: 0,
    id,
    bm25: 1,
    askingBm25: 1,
    matched: new Set(),
    inHeading: new Set(),
    headingPrecision: 0,
    documentId: id.split('/')[0]!,
    opensDocument: false,
    restatement: 0,
    phrasing: 0,
    phrasingOverlap: 0,
    roles,
    topicAsked: false,
    replySize: 100,
    textTerms: () => new Set(text),
    jobsMentioned: 1,
    placesMentioned: 1,
    serverEntry: false,
    wordsAnswered: 0,
  };
}

function analysis(namedRoles: RoleId[], candidates: Candidate[], comparison?: [RoleId, RoleId]): QuestionAnalysis {
  return { terms: [], namedRoles, ...(comparison ? { comparison } : {}), otherJobs: [], places: [], salaryAsked: false, smallTalk: false, neighbours: [], wordsCovered: 0, candidates };
}

/** Candidates in the order given, each somewhat less likely than the one before. */
const ranking = (n: number): Ranking => {
  const probabilities = Array.from({ length: n }, (_, i) => 0.5 / 2 ** i);
  return { order: probabilities.map((_, i) => i), probabilities, scores: probabilities.map(Math.log) };
};

describe('the passages shown beside the best one', () => {
  const analystPay = candidate('data-analyst-pay/figure', ['data-analyst'], ['analyst', 'median', 'bls']);
  const analystWork = candidate('role-profile-data-analyst/typical-work', ['data-analyst'], ['dashboard', 'report', 'sql']);
  const mlePay = candidate('ml-engineer-salary/us', ['ml-engineer'], ['140000', 'glassdoor', 'indeed']);
  const general = candidate('job-market/demand', [], ['demand', 'growth', 'hiring']);

  it('are likely enough and say something new', () => {
    const same = candidate('data-analyst-pay/again', ['data-analyst'], ['analyst', 'median', 'bls']);
    expect(choosePassages(analysis(['data-analyst'], [analystPay, same, analystWork]), ranking(3), 0.1)).toEqual([0, 2]);
    expect(choosePassages(analysis(['data-analyst'], [analystPay, analystWork]), ranking(2), 0.6)).toEqual([0]);
  });

  it('keep to the roles a question asks about: no ML engineer pay beside a data analyst answer', () => {
    expect(choosePassages(analysis(['data-analyst'], [analystPay, mlePay, general, analystWork]), ranking(4), 0.01)).toEqual([0, 2, 3]);
    // A question naming the ML engineer too may see ML engineer passages.
    expect(choosePassages(analysis(['data-analyst', 'ml-engineer'], [analystPay, mlePay]), ranking(2), 0.01)).toEqual([0, 1]);
  });

  it('keep a comparison to passages about both roles', () => {
    const both = candidate('ml-engineer-vs-data-analyst/difference', ['data-analyst', 'ml-engineer'], ['difference', 'model', 'report']);
    const bothMore = candidate('ml-engineer-vs-data-analyst/tools', ['data-analyst', 'ml-engineer'], ['tableau', 'pytorch']);
    expect(choosePassages(analysis(['data-analyst', 'ml-engineer'], [both, analystWork, bothMore], ['data-analyst', 'ml-engineer']), ranking(3), 0.01)).toEqual([0, 2]);
  });
});
