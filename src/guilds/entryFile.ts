// A server's entries as one markdown file in the knowledge base's format (front matter, one "##" section per
// entry, its questions in an "asked" comment), so that /kb export and /kb import round-trip, and bot owners
// can fold a server's FAQ into knowledge/.
import { extractAnnotations, splitFrontMatter, splitSections } from '../knowledge/markdown.js';
import { frontMatterSchema } from '../knowledge/schema.js';
import { decodeUtf8, KnowledgeError, type KnowledgeProblem } from '../knowledge/validation.js';
import { parseYaml } from '../knowledge/yaml.js';
import { entryContentSchema, type EntryContent } from '../storage/store.js';

export const ENTRIES_FILE_NAME = 'server-faq.md';
/** 500 entries of 2,000 characters with room to spare. */
export const MAX_ENTRIES_FILE_BYTES = 2_000_000;

const LINK_LINE = /\n*^Link: (\S+)\s*$(?![\s\S])/im;

export function entriesFile(entries: readonly EntryContent[], exportedOn: Date): string {
  const frontMatter = ['---', 'title: Server FAQ', 'topic: server-faq', 'sources: [server-faq]', `reviewed: ${exportedOn.toISOString().slice(0, 10)}`, '---'];
  const sections = entries.map((entry) =>
    [
      // A closing "#" would be read as the heading's decoration: one more keeps a title such as "C#" whole.
      `## ${entry.title}${entry.title.endsWith('#') ? ' #' : ''}`,
      ...(entry.questions.length ? ['<!-- asked:', ...entry.questions.map((q) => `- ${q}`), '-->'] : []),
      entry.answer.replace(/^(\s*)#/gm, '$1\\#'),
      ...(entry.link ? ['', `Link: ${entry.link}`] : []),
    ].join('\n'),
  );
  return `${[frontMatter.join('\n'), ...sections].join('\n\n')}\n`;
}

export type ParsedEntries = { ok: true; entries: EntryContent[] } | { ok: false; problems: KnowledgeProblem[] };

/** Reads a whole file; any problem refuses all of it, each problem with its line. */
export function parseEntriesFile(bytes: Uint8Array, file: string): ParsedEntries {
  try {
    return { ok: true, entries: readEntries(decodeUtf8(bytes, file), file) };
  } catch (error) {
    if (error instanceof KnowledgeError) return { ok: false, problems: error.problems };
    throw error;
  }
}

function readEntries(text: string, file: string): EntryContent[] {
  const block = splitFrontMatter(text);
  if ('error' in block) throw new KnowledgeError([{ file, line: block.line, message: `${block.error}, as /kb export writes it` }]);
  parseYaml(block.yaml, frontMatterSchema, { file, firstLine: block.yamlLine, what: 'front matter' });
  const problems: KnowledgeProblem[] = [];
  const entries: EntryContent[] = [];
  const titles = new Map<string, number>();
  // Every heading is an entry: one with nothing under it is an entry without an answer, not a path.
  for (const section of splitSections(block.body, block.bodyLine, { keepEmpty: true })) {
    const problem = (message: string, line = section.line) => problems.push({ file, line, message });
    const title = section.headings.at(-1);
    if (title === undefined) {
      problem('has text before the first "##" heading: every entry starts with its title as a heading');
      continue;
    }
    const annotated = extractAnnotations(section.text);
    if ('error' in annotated) {
      problem(annotated.error, section.line + 1 + annotated.lineOffset);
      continue;
    }
    const link = LINK_LINE.exec(annotated.text);
    const answer = annotated.text.replace(LINK_LINE, '').replace(/^(\s*)\\#/gm, '$1#');
    const parsed = entryContentSchema.safeParse({ title, questions: annotated.phrasings, answer, link: link?.[1] ?? null });
    if (!parsed.success) {
      problem(`entry “${title}”: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
      continue;
    }
    const earlier = titles.get(parsed.data.title.toLowerCase());
    if (earlier !== undefined) problem(`entry “${title}” is already in the file, at line ${earlier}`);
    titles.set(parsed.data.title.toLowerCase(), section.line);
    entries.push(parsed.data);
  }
  if (problems.length) throw new KnowledgeError(problems);
  if (entries.length === 0) throw new KnowledgeError([{ file, line: block.bodyLine, message: 'has no entries: each starts with a "##" heading' }]);
  return entries;
}
