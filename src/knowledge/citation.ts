import type { Source } from './schema.js';

/** "Code Labs Academy, “What Does a Machine Learning Engineer Do?” (2024)". */
export function citeSource(source: Source): string {
  const title = source.subtitle ? `${source.title}: ${source.subtitle}` : source.title;
  return `${source.author ?? source.publisher}, “${title}” (${sourceDate(source)})`;
}

/** The date as precise as the source gives it: "23 Apr 2024" or "2024". */
export function sourceDate(source: Source): string {
  if (!source.date) return String(source.year);
  return new Date(`${source.date}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}
