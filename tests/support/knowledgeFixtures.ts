import type { KnowledgeFiles } from '../../src/knowledge/loader.js';

export const SOURCES_YAML = `- id: guide
  title: A guide to ML careers
  author: Test Author
  date: 2024-04-23
- id: academy
  title: What ML engineers do
  publisher: Test Academy
  year: 2024
`;

export const TIPS_YAML = `- id: build-a-portfolio
  text: Put two finished ML projects on GitHub, each with a short write-up of the problem and the result.
  source: academy
`;

export function document(frontMatter: Record<string, string>, body: string): string {
  const yaml = Object.entries(frontMatter).map(([key, value]) => `${key}: ${value}`).join('\n');
  return `---\n${yaml}\n---\n${body}`;
}

export const VALID_FRONT_MATTER = { title: 'Salaries', topic: 'salary', sources: '[guide]', reviewed: '2026-11-23' };

/** A small, valid knowledge base in memory; override any file to break it. */
export function knowledgeFiles(documents: Record<string, string | Uint8Array> = {}): KnowledgeFiles {
  return {
    documents: {
      'knowledge/salary.md': document(
        VALID_FRONT_MATTER,
        '\n## How much does an ML engineer earn in India?\n\nIn India an ML engineer earns about INR 10 lakh per annum.\n\n## Entry-level pay\n\nAn entry-level ML engineer earns up to $98,000.\n',
      ),
      ...documents,
    },
    sources: SOURCES_YAML,
    tips: TIPS_YAML,
  };
}
