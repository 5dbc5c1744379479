import type { Source } from './schema.js';

/**
 * "Code Labs Academy, “What Does a Machine Learning Engineer Do?” (2024)"; a source whose figures are for
 * another year than it was published says so: "(Sep 2025; figures for 2024)".
 */
export function citeSource(source: Source): string {
  const title = source.subtitle ? `${source.title}: ${source.subtitle}` : source.title;
  const published = sourceDate(source);
  const figures = source.figuresYear !== undefined && !published.endsWith(String(source.figuresYear)) ? `; figures for ${source.figuresYear}` : '';
  return `${source.author ?? source.publisher}, “${title}” (${published}${figures})`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The date as precise as the source gives it: "23 Apr 2024" or "2024". Formatted by hand: the first
 * `toLocaleDateString` loads ICU's date data, a tenth of the bot's start-up.
 */
export function sourceDate(source: Source): string {
  if (source.date) return dayMonthYear(source.date);
  return source.year !== undefined ? String(source.year) : `undated; read ${dayMonthYear(source.accessed!)}`;
}

function dayMonthYear(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${day} ${MONTHS[month! - 1]} ${year}`;
}
