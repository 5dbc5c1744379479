import { z } from 'zod';
import { ROLE_IDS } from '../search/lexicon.js';

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a lower-case slug such as "career-paths"');

const isoDate = z
  .union([z.string(), z.date()])
  .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value))
  .pipe(z.iso.date({ error: 'a date as YYYY-MM-DD' }));

export const sourceSchema = z
  .object({
    id: slug,
    title: z.string().min(1),
    subtitle: z.string().min(1).optional(),
    author: z.string().min(1).optional(),
    publisher: z.string().min(1).optional(),
    date: isoDate.optional(),
    year: z.number().int().min(1900).max(2100).optional(),
    file: z.string().optional(),
    url: z.url().optional(),
    /** The year the source's figures refer to (a 2024 report may give 2023 pay). */
    figuresYear: z.number().int().min(1900).max(2100).optional(),
    /** When someone read the page to write from it. */
    accessed: isoDate.optional(),
  })
  .strict()
  .refine((source) => source.author ?? source.publisher, { message: 'needs an author or a publisher' })
  .refine((source) => source.date ?? source.year ?? source.accessed, { message: 'needs a date or a year, or (for a page that gives none) the day it was read' });
export type Source = z.infer<typeof sourceSchema>;
export const sourcesFileSchema = z.array(sourceSchema).min(1, 'lists no sources');

export const frontMatterSchema = z
  .object({
    title: z.string().min(1).max(120),
    topic: slug,
    sources: z.array(slug).min(1, 'names no source'),
    reviewed: isoDate,
    roles: z.array(z.enum(ROLE_IDS)).max(2).optional(),
  })
  .strict();
export type FrontMatter = z.infer<typeof frontMatterSchema>;

export const tipSchema = z
  .object({
    id: slug,
    text: z.string().min(20).max(300),
    source: slug,
  })
  .strict();
export type Tip = z.infer<typeof tipSchema>;
export const tipsFileSchema = z.array(tipSchema).min(1, 'lists no tips');

/** A retrievable piece of a document: one section, or part of a long one. */
export interface Passage {
  /** Stable across edits elsewhere: file slug + heading slug (+ part number). */
  id: string;
  documentId: string;
  /** "Document title › Heading". */
  title: string;
  documentTitle: string;
  /** The headings under the document title, joined with " › "; empty for a document's introduction. */
  heading: string;
  topic: string;
  roles: RoleList;
  sourceIds: string[];
  /** Markdown, as written (without its phrasings). */
  text: string;
  /** Questions the section answers, worded as members ask them: searched, never shown. */
  phrasings: string[];
  file: string;
  line: number;
}
export type RoleList = NonNullable<FrontMatter['roles']>;

export interface KnowledgeDocument {
  id: string;
  file: string;
  frontMatter: FrontMatter;
  passageIds: string[];
}

export interface KnowledgeBase {
  documents: KnowledgeDocument[];
  passages: Passage[];
  sources: Source[];
  tips: Tip[];
}
