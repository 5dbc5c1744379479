import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DEFAULT_KNOWLEDGE_DIR, documentPassage, SOURCES_FILE, TIPS_FILE } from './documents.js';
import { chunkText, extractAnnotations, slugify, splitFrontMatter, splitSections } from './markdown.js';
import {
  frontMatterSchema,
  sourcesFileSchema,
  tipsFileSchema,
  type KnowledgeBase,
  type KnowledgeDocument,
  type Passage,
  type Source,
  type Tip,
} from './schema.js';
import { decodeUtf8, KnowledgeError, type KnowledgeProblem } from './validation.js';
import { parseYaml } from './yaml.js';

export { DEFAULT_KNOWLEDGE_DIR, SOURCES_FILE, TIPS_FILE };

/** A knowledge base as files: markdown documents by file name, plus the sources and tips YAML. */
export interface KnowledgeFiles {
  documents: Record<string, string | Uint8Array>;
  sources: string | Uint8Array;
  tips: string | Uint8Array;
}

/** Reads `dir`: every `*.md` is a document; `sources.yaml` and `tips.yaml` are required. */
export async function readKnowledgeFiles(dir: string): Promise<KnowledgeFiles> {
  const names = (await readKnowledgeDirectory(dir)).sort();
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new KnowledgeError([{ file: join(dir, name), line: 1, message: 'is missing' }]);
      }
      throw error;
    }
  };
  const documents: Record<string, Uint8Array> = {};
  for (const name of names.filter((n) => n.endsWith('.md'))) documents[join(dir, name)] = await read(name);
  return { documents, sources: await read(SOURCES_FILE), tips: await read(TIPS_FILE) };
}

async function readKnowledgeDirectory(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new KnowledgeError([{ file: dir, message: 'is missing: restore the knowledge base there, or set KNOWLEDGE_DIR to where it is' }]);
    if (code === 'ENOTDIR') throw new KnowledgeError([{ file: dir, message: 'is not a directory: set KNOWLEDGE_DIR to the knowledge base directory' }]);
    throw error;
  }
}

export async function loadKnowledgeDirectory(dir: string): Promise<KnowledgeBase> {
  const files = await readKnowledgeFiles(dir);
  return parseKnowledge(files, { sourcesFile: join(dir, SOURCES_FILE), tipsFile: join(dir, TIPS_FILE) });
}

/**
 * Validates and splits a whole knowledge base. All problems across all files are collected and thrown
 * together as one KnowledgeError; on success every document, passage, source and tip is valid.
 */
export function parseKnowledge(
  files: KnowledgeFiles,
  names: { sourcesFile: string; tipsFile: string } = { sourcesFile: SOURCES_FILE, tipsFile: TIPS_FILE },
): KnowledgeBase {
  const problems: KnowledgeProblem[] = [];
  const attempt = <T>(work: () => T): T | undefined => {
    try {
      return work();
    } catch (error) {
      if (error instanceof KnowledgeError) {
        problems.push(...error.problems);
        return undefined;
      }
      throw error;
    }
  };

  const sources =
    attempt(() =>
      parseYaml(text(files.sources, names.sourcesFile), sourcesFileSchema, { file: names.sourcesFile, firstLine: 1, what: 'sources' }),
    ) ?? [];
  const sourceIds = new Set(sources.map((s) => s.id));
  const tips =
    attempt(() => parseYaml(text(files.tips, names.tipsFile), tipsFileSchema, { file: names.tipsFile, firstLine: 1, what: 'tips' })) ?? [];
  problems.push(...checkSourcesAndTips(sources, tips, sourceIds, names));

  const documents: KnowledgeDocument[] = [];
  const passages: Passage[] = [];
  const firstSeen = new Map<string, { file: string; line: number }>();
  for (const [file, content] of Object.entries(files.documents).sort(([a], [b]) => a.localeCompare(b))) {
    const parsed = attempt(() => parseDocumentFile(file, text(content, file), sourceIds));
    if (!parsed) continue;
    documents.push(parsed.document);
    for (const passage of parsed.passages) {
      const earlier = firstSeen.get(passage.id);
      if (earlier) {
        problems.push({ file, line: passage.line, message: `passage id "${passage.id}" is already used at ${earlier.file}:${earlier.line}` });
      } else {
        firstSeen.set(passage.id, { file, line: passage.line });
        passages.push(passage);
      }
    }
  }
  if (Object.keys(files.documents).length === 0) problems.push({ file: 'knowledge', line: 1, message: 'has no markdown documents' });
  if (problems.length > 0) throw new KnowledgeError(problems);
  return { documents, passages, sources, tips };
}

function text(content: string | Uint8Array, file: string): string {
  return typeof content === 'string' ? content : decodeUtf8(content, file);
}

function checkSourcesAndTips(
  sources: Source[],
  tips: Tip[],
  sourceIds: Set<string>,
  names: { sourcesFile: string; tipsFile: string },
): KnowledgeProblem[] {
  const problems: KnowledgeProblem[] = [];
  const duplicates = <T extends { id: string }>(items: T[], file: string, what: string) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      if (seen.has(item.id)) problems.push({ file, line: 1, message: `${what} id "${item.id}" (entry ${index + 1}) is used twice` });
      seen.add(item.id);
    });
  };
  duplicates(sources, names.sourcesFile, 'source');
  duplicates(tips, names.tipsFile, 'tip');
  tips.forEach((tip, index) => {
    if (sourceIds.size > 0 && !sourceIds.has(tip.source)) {
      problems.push({ file: names.tipsFile, line: 1, message: `tip "${tip.id}" (entry ${index + 1}) cites unknown source "${tip.source}"` });
    }
  });
  return problems;
}

function parseDocumentFile(file: string, content: string, sourceIds: Set<string>): { document: KnowledgeDocument; passages: Passage[] } {
  const block = splitFrontMatter(content);
  if ('error' in block) throw new KnowledgeError([{ file, line: block.line, message: block.error }]);
  const frontMatter = parseYaml(block.yaml, frontMatterSchema, { file, firstLine: block.yamlLine, what: 'front matter' });
  const unknown = frontMatter.sources.filter((id) => sourceIds.size > 0 && !sourceIds.has(id));
  if (unknown.length > 0) {
    throw new KnowledgeError([{ file, line: block.yamlLine, message: `front matter "sources": unknown source ${unknown.map((id) => `"${id}"`).join(', ')}` }]);
  }

  const documentId = slugify(basename(file).replace(/\.md$/, ''));
  const passages: Passage[] = [];
  for (const section of splitSections(block.body, block.bodyLine)) {
    const sectionId = `${documentId}/${section.headings.length ? slugify(section.headings.at(-1)!) : 'intro'}`;
    const heading = section.headings.join(' › ');
    const content = extractAnnotations(section.text);
    if ('error' in content) throw new KnowledgeError([{ file, line: section.line + content.lineOffset + (section.headings.length ? 1 : 0), message: content.error }]);
    if (!content.text) throw new KnowledgeError([{ file, line: section.line, message: 'has a section with annotations but no text' }]);
    const unknownSources = (content.sourceIds ?? []).filter((id) => sourceIds.size > 0 && !sourceIds.has(id));
    if (content.sourceIds?.length === 0 || unknownSources.length) {
      const what = unknownSources.length ? `unknown source ${unknownSources.map((id) => `"${id}"`).join(', ')}` : 'no source';
      throw new KnowledgeError([{ file, line: section.line, message: `section "${section.headings.at(-1) ?? 'introduction'}" cites ${what}` }]);
    }
    // Every part of a long section answers what the section answers.
    chunkText(content.text).forEach((part, index) => {
      const id = index === 0 ? sectionId : `${sectionId}-${index + 1}`;
      passages.push(
        documentPassage({ id: documentId, file, frontMatter }, { id, heading, text: part, phrasings: content.phrasings, line: section.line, ...(content.sourceIds ? { sourceIds: content.sourceIds } : {}) }),
      );
    });
  }
  if (passages.length === 0) throw new KnowledgeError([{ file, line: block.bodyLine, message: 'has no text after its front matter' }]);
  return { document: { id: documentId, file, frontMatter, passageIds: passages.map((p) => p.id) }, passages };
}
