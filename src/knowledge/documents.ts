// What follows from a knowledge document, without the loader's parsers: the saved-index loader restores
// passages with it and must not pay for importing YAML and zod.
import { packagePath } from '../packageRoot.js';
import type { FrontMatter, Passage } from './schema.js';

/** The knowledge base that ships with the bot. */
export const DEFAULT_KNOWLEDGE_DIR = packagePath('knowledge');
export const SOURCES_FILE = 'sources.yaml';
export const TIPS_FILE = 'tips.yaml';

/** A passage of a document: everything but its id, heading, text, phrasings, line and (when the section names them) sources comes from the front matter. */
export function documentPassage(
  document: { id: string; file: string; frontMatter: FrontMatter },
  passage: { id: string; heading: string; text: string; phrasings: readonly string[]; line: number; sourceIds?: readonly string[] },
): Passage {
  const { frontMatter } = document;
  return {
    id: passage.id,
    documentId: document.id,
    title: passage.heading ? `${frontMatter.title} › ${passage.heading}` : frontMatter.title,
    documentTitle: frontMatter.title,
    heading: passage.heading,
    topic: frontMatter.topic,
    roles: frontMatter.roles ?? [],
    sourceIds: [...(passage.sourceIds ?? frontMatter.sources)],
    text: passage.text,
    phrasings: [...passage.phrasings],
    file: document.file,
    line: passage.line,
  };
}
