import type { KnowledgeBase } from './schema.js';

/** A document not checked by a person for this long is listed for review. */
export const REVIEW_INTERVAL_DAYS = 365;

export interface StaleDocument {
  file: string;
  title: string;
  reviewed: string;
}

/** The documents not reviewed for a year, oldest first: what a maintainer should check next. */
export function documentsDueForReview(knowledge: KnowledgeBase, now: Date): StaleDocument[] {
  const cutoff = now.getTime() - REVIEW_INTERVAL_DAYS * 86_400_000;
  return knowledge.documents
    .filter((d) => Date.parse(d.frontMatter.reviewed) < cutoff)
    .map((d) => ({ file: d.file, title: d.frontMatter.title, reviewed: d.frontMatter.reviewed }))
    .sort((a, b) => (a.reviewed < b.reviewed ? -1 : a.reviewed > b.reviewed ? 1 : 0));
}
