import { describe, expect, it } from 'vitest';
import { parseKnowledge } from '../../src/knowledge/loader.js';
import { chunkText, MAX_PASSAGE_CHARS } from '../../src/knowledge/markdown.js';
import { KnowledgeError } from '../../src/knowledge/validation.js';
import { document, knowledgeFiles, VALID_FRONT_MATTER } from '../support/knowledgeFixtures.js';

function problemsOf(files: Parameters<typeof parseKnowledge>[0]): string[] {
  try {
    parseKnowledge(files);
  } catch (error) {
    expect(error).toBeInstanceOf(KnowledgeError);
    return (error as KnowledgeError).problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
  }
  throw new Error('expected the knowledge base to be rejected');
}

describe('loading the knowledge base', () => {
  it('splits documents into passages by heading, with stable ids and title paths', () => {
    const kb = parseKnowledge(knowledgeFiles());
    expect(kb.passages.map((p) => p.id)).toEqual(['salary/how-much-does-an-ml-engineer-earn-in-india', 'salary/entry-level-pay']);
    expect(kb.passages[0]).toMatchObject({
      title: 'Salaries › How much does an ML engineer earn in India?',
      topic: 'salary',
      sourceIds: ['guide'],
      text: 'In India an ML engineer earns about INR 10 lakh per annum.',
      file: 'knowledge/salary.md',
      line: 8,
    });
    expect(kb.sources.map((s) => s.id)).toEqual(['guide', 'academy']);
    expect(kb.tips).toHaveLength(1);
  });

  it('keeps ids stable when other sections change', () => {
    const before = parseKnowledge(knowledgeFiles()).passages.map((p) => p.id);
    const edited = knowledgeFiles({
      'knowledge/salary.md': document(
        VALID_FRONT_MATTER,
        '\nAn introduction.\n\n## New section first\n\nMore text.\n\n## How much does an ML engineer earn in India?\n\nChanged text.\n\n## Entry-level pay\n\nUp to $98,000.\n',
      ),
    });
    const after = parseKnowledge(edited).passages.map((p) => p.id);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after).toContain('salary/intro');
  });

  it('gives nested headings a title path through their parent', () => {
    const kb = parseKnowledge(
      knowledgeFiles({ 'knowledge/tools.md': document({ ...VALID_FRONT_MATTER, title: 'Tools', topic: 'tools' }, '## Libraries\n\n### Deep learning\n\nTensorFlow and PyTorch.\n') }),
    );
    expect(kb.passages.find((p) => p.id === 'tools/deep-learning')?.title).toBe('Tools › Libraries › Deep learning');
  });

  it('splits a long section at paragraph boundaries into numbered parts', () => {
    const paragraph = (n: number) => `Paragraph ${n} says something useful about ML careers. `.repeat(5).trim();
    const body = `## Long section\n\n${[1, 2, 3, 4].map(paragraph).join('\n\n')}\n`;
    const kb = parseKnowledge(knowledgeFiles({ 'knowledge/long.md': document({ ...VALID_FRONT_MATTER, title: 'Long' }, body) }));
    const parts = kb.passages.filter((p) => p.documentId === 'long');
    expect(parts.map((p) => p.id)).toEqual(['long/long-section', 'long/long-section-2']);
    for (const part of parts) {
      expect(part.text.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
      expect(part.text.startsWith('Paragraph')).toBe(true);
    }
  });

  it('splits an over-long paragraph at sentences, never mid-word', () => {
    const sentence = 'An ML engineer builds, deploys and monitors models in production. ';
    for (const part of chunkText(sentence.repeat(30).trim())) {
      expect(part.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
      expect(part.endsWith('.')).toBe(true);
    }
  });

  it.each([
    ['no front matter', '## Heading\n\nText.\n', 'knowledge/broken.md:1: must start with front matter'],
    ['unclosed front matter', '---\ntitle: x\n', 'knowledge/broken.md:1: front matter is not closed'],
    ['a missing title', document({ topic: 'salary', sources: '[guide]', reviewed: '2026-11-23' }, '## H\n\nText.\n'), 'knowledge/broken.md:2: front matter "title"'],
    ['a bad date', document({ ...VALID_FRONT_MATTER, reviewed: 'last week' }, '## H\n\nText.\n'), 'knowledge/broken.md:5: front matter "reviewed"'],
    ['a date not in the calendar', document({ ...VALID_FRONT_MATTER, reviewed: "'2026-02-30'" }, '## H\n\nText.\n'), 'knowledge/broken.md:5: front matter "reviewed": a date as YYYY-MM-DD'],
    ['an unknown source', document({ ...VALID_FRONT_MATTER, sources: '[nobody]' }, '## H\n\nText.\n'), 'knowledge/broken.md:2: front matter "sources": unknown source "nobody"'],
    ['an unknown role', document({ ...VALID_FRONT_MATTER, roles: '[astronaut]' }, '## H\n\nText.\n'), 'knowledge/broken.md:6: front matter "roles.0"'],
    ['invalid YAML', '---\ntitle: [unclosed\ntopic: salary\n---\n## H\n\nText.\n', 'knowledge/broken.md:'],
    ['an empty body', document(VALID_FRONT_MATTER, '\n\n'), 'knowledge/broken.md:7: has no text after its front matter'],
    ['an empty file', '', 'knowledge/broken.md:1: must start with front matter'],
  ])('rejects a document with %s, naming the file and line', (_, content, expected) => {
    const problems = problemsOf(knowledgeFiles({ 'knowledge/broken.md': content }));
    expect(problems.join('\n')).toContain(expected);
  });

  it('takes the phrasings a section lists out of its text, for every part of it', () => {
    const body = `\n## Do I need a master's?\n<!-- asked:\n- do i need a masters for mle\n- is grad school required\n-->\n\n${'A degree helps. '.repeat(60)}\n\n${'Projects help too. '.repeat(30)}\n`;
    const kb = parseKnowledge(knowledgeFiles({ 'knowledge/salary.md': document(VALID_FRONT_MATTER, body) }));
    expect(kb.passages.length).toBeGreaterThan(1);
    for (const passage of kb.passages) {
      expect(passage.phrasings).toEqual(['do i need a masters for mle', 'is grad school required']);
      expect(passage.text).not.toContain('asked');
      expect(passage.text).not.toContain('<!--');
    }
  });

  it('cites per section the sources a section names, and the document’s otherwise', () => {
    const body = '\n## Pay in India\n<!-- sources: academy -->\n\nIn India an ML engineer earns about INR 10 lakh per annum.\n\n## Pay in general\n\nIt varies.\n';
    const kb = parseKnowledge(knowledgeFiles({ 'knowledge/salary.md': document({ ...VALID_FRONT_MATTER, sources: '[guide, academy]' }, body) }));
    expect(kb.passages.map((p) => [p.heading, p.sourceIds, p.text])).toEqual([
      ['Pay in India', ['academy'], 'In India an ML engineer earns about INR 10 lakh per annum.'],
      ['Pay in general', ['guide', 'academy'], 'It varies.'],
    ]);
  });

  it('rejects a section citing a source sources.yaml does not list', () => {
    const body = '\n## Pay\n<!-- sources: nobody-2030 -->\n\nIt varies.\n';
    expect(problemsOf(knowledgeFiles({ 'knowledge/salary.md': document(VALID_FRONT_MATTER, body) }))).toEqual([
      'knowledge/salary.md:8: section "Pay" cites unknown source "nobody-2030"',
    ]);
  });

  it('rejects a comment that is never closed, with its line', () => {
    const body = '\n## Pay\n<!-- asked:\n- how much\n\nIn India an ML engineer earns about INR 10 lakh per annum.\n';
    expect(problemsOf(knowledgeFiles({ 'knowledge/salary.md': document(VALID_FRONT_MATTER, body) }))).toEqual([
      'knowledge/salary.md:9: has an HTML comment ("<!--") that is never closed',
    ]);
  });

  it('rejects invalid UTF-8 with the line of the bad byte', () => {
    const bytes = Buffer.concat([Buffer.from(document(VALID_FRONT_MATTER, '## H\n\nGood line.\n')), Buffer.from([0x42, 0xff, 0x0a])]);
    expect(problemsOf(knowledgeFiles({ 'knowledge/broken.md': bytes }))).toEqual(['knowledge/broken.md:10: is not valid UTF-8']);
  });

  it('rejects duplicate passage ids, naming both places', () => {
    const body = '## Same heading\n\nOne.\n\n## Same heading\n\nTwo.\n';
    const problems = problemsOf(knowledgeFiles({ 'knowledge/dup.md': document({ ...VALID_FRONT_MATTER, title: 'Dup' }, body) }));
    expect(problems).toEqual(['knowledge/dup.md:11: passage id "dup/same-heading" is already used at knowledge/dup.md:7']);
  });

  it('reports every broken file at once and loads nothing', () => {
    const problems = problemsOf({
      ...knowledgeFiles({ 'knowledge/a.md': 'no front matter', 'knowledge/b.md': document(VALID_FRONT_MATTER, '') }),
      tips: '- id: t\n  text: too short\n  source: guide\n',
    });
    expect(problems).toHaveLength(3);
    expect(problems.some((p) => p.startsWith('tips.yaml:2: tips "0.text"'))).toBe(true);
  });

  it('rejects a source without an author or publisher', () => {
    const problems = problemsOf({ ...knowledgeFiles(), sources: '- id: guide\n  title: A guide\n  year: 2024\n' });
    expect(problems).toContain('sources.yaml:1: sources "0": needs an author or a publisher');
  });

  it('rejects a tip citing an unknown source', () => {
    const problems = problemsOf({
      ...knowledgeFiles(),
      tips: '- id: a-tip\n  text: Build one end-to-end project and deploy it somewhere people can use it.\n  source: nowhere\n',
    });
    expect(problems).toEqual(['tips.yaml:1: tip "a-tip" (entry 1) cites unknown source "nowhere"']);
  });
});
