import { describe, expect, it } from 'vitest';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeDirectory, parseKnowledge } from '../../src/knowledge/loader.js';
import { abbreviationExpansions, isYesNoQuestion, styleFindings } from '../../src/knowledge/style.js';
import { document, knowledgeFiles, VALID_FRONT_MATTER } from '../support/knowledgeFixtures.js';

/** Style findings as "passage id: message". */
function findingsIn(passages: Parameters<typeof styleFindings>[0]): string[] {
  return styleFindings(passages).map((f) => `${f.passageId}: ${f.message}`);
}

function findingsOf(documents: Record<string, string>): string[] {
  return findingsIn(parseKnowledge(knowledgeFiles(documents)).passages);
}

describe('knowledge text written for chat', () => {
  it('spells out each abbreviation at most once per document, and opens with a bare "Yes"/"No" only under a yes/no question', async () => {
    const knowledge = await loadKnowledgeDirectory(DEFAULT_KNOWLEDGE_DIR);
    expect(findingsIn(knowledge.passages)).toEqual([]);
  });
});

describe('the abbreviation lint', () => {
  it('finds a phrase followed by its initials in parentheses', () => {
    expect(
      abbreviationExpansions(
        'A machine learning (ML) engineer, unlike a data scientist’s (DS) work, uses Amazon Web Services (AWS), ' +
          'the software development life cycle (SDLC), research and development (R&D) and a software engineer’s (SWE) habits.',
      ),
    ).toEqual([
      { abbreviation: 'ML', phrase: 'machine learning' },
      { abbreviation: 'DS', phrase: 'data scientist’s' },
      { abbreviation: 'AWS', phrase: 'Amazon Web Services' },
      { abbreviation: 'SDLC', phrase: 'software development life cycle' },
      { abbreviation: 'R&D', phrase: 'research and development' },
      { abbreviation: 'SWE', phrase: 'software engineer’s' },
    ]);
  });

  it('leaves alone parentheses that are not initials of the words before them', () => {
    expect(abbreviationExpansions('Entry-level (junior) pay is up to $98,000 (98k); demand grew tenfold (10x); use Python (ML) or R (a).')).toEqual([]);
  });

  it('flags a document that spells out an abbreviation in a second passage, or twice in one', () => {
    const body =
      '\n## Pay\n\nA machine learning (ML) engineer earns well.\n\n## Demand\n\nMachine learning (ML) engineers are in demand.\n\n' +
      '## Roles\n\nA data scientist (DS) differs from a data analyst; a data scientist (DS) reports.\n';
    expect(findingsOf({ 'knowledge/salary.md': document(VALID_FRONT_MATTER, body) })).toEqual([
      'salary/demand: spells out "Machine learning (ML)" again: the document did so in salary/pay',
      'salary/roles: spells out "data scientist (DS)" again: the document did so earlier in this passage',
    ]);
  });

  it('lets each document spell out an abbreviation once, and use it freely after', () => {
    const once = (title: string) =>
      document({ ...VALID_FRONT_MATTER, title }, '\n## Pay\n\nA machine learning (ML) engineer earns well.\n\n## Demand\n\nML engineers are in demand.\n');
    expect(findingsOf({ 'knowledge/salary.md': once('Salaries'), 'knowledge/demand.md': once('Demand') })).toEqual([]);
  });
});

describe('the bare yes/no lint', () => {
  it('tells yes/no questions from the others', () => {
    expect(['Do I need a master’s?', 'Is ML engineering a good career?', 'Can a software engineer become an ML engineer?', 'Should I learn Spark?'].filter(isYesNoQuestion)).toHaveLength(4);
    expect(['How do I get hired?', 'What is data drift?', 'Startup or big tech?', 'Which tools should I learn?', 'Isolation forests'].filter(isYesNoQuestion)).toEqual([]);
  });

  it('flags a passage opening with a bare "Yes" or "No" under a heading that is not a yes/no question', () => {
    const body =
      '\n## How do I move into ML engineering?\n\nYes, many software engineers do.\n\n## Which tools should I learn?\n\nNo. It depends on the work.\n\n' +
      '## What about cloud platforms?\n\n**Yes** — learn one.\n\n## Do I need a master’s degree?\n\nNo, not strictly.\n\n' +
      '## Is there one fixed tool stack?\n\nYes.\n\n## What is data drift?\n\nNo single definition is needed: the data changes.\n';
    expect(findingsOf({ 'knowledge/salary.md': document(VALID_FRONT_MATTER, body) })).toEqual([
      'salary/how-do-i-move-into-ml-engineering: opens with a bare "Yes" but its heading "How do I move into ML engineering?" is not a yes/no question',
      'salary/which-tools-should-i-learn: opens with a bare "No" but its heading "Which tools should I learn?" is not a yes/no question',
      'salary/what-about-cloud-platforms: opens with a bare "Yes" but its heading "What about cloud platforms?" is not a yes/no question',
    ]);
  });
});
