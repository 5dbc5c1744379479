import type { Source } from './schema.js';

/** "Code Labs Academy, “What Does a Machine Learning Engineer Do?” (2024)". */
export function citeSource(source: Source): string {
  const title = source.subtitle ? `${source.title}: ${source.subtitle}` : source.title;
  return `${source.author ?? source.publisher}, “${title}” (${sourceDate(source)})`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The date as precise as the source gives it: "23 Apr 2024" or "2024". Formatted by hand: the first
 * `toLocaleDateString` loads ICU's date data, a tenth of the bot's start-up.
 */
export function sourceDate(source: Source): string {
  if (!source.date) return String(source.year);
  const [year, month, day] = source.date.split('-').map(Number);
  return `${day} ${MONTHS[month! - 1]} ${year}`;
}
