import { cutToLength } from '../text/cut.js';
import { truncateAtSentence } from './truncate.js';

/**
 * How much passage text a reply holds: about 200 words, a phone screen and a half. The best passage is always
 * shown whole (a passage is at most 700 characters); the others fill what is left.
 */
export const READING_BUDGET = 1200;
/** The whole reply as text, sources included, fits a 2,000-character Discord message with room to spare. */
export const MAX_ANSWER_CHARS = 1800;
/** A further passage is shown only if at least this much of it fits and is new. */
const MIN_FURTHER_CHARS = 120;
/** A sentence whose terms the reply has already said, at least this share of them, is not said again. */
const REPEATED_SHARE = 0.75;

export interface Citation {
  text: string;
  url?: string;
}

export interface ReplyPassage {
  id: string;
  title: string;
  text: string;
  sources: Citation[];
}

/**
 * The passages as a member reads them: the best one first and whole, then what the others add. A sentence
 * that repeats what the reply already said (by its terms) is dropped, and a passage left with nothing new is
 * dropped with it; the further passages share what is left of the budget, cut at a sentence.
 */
export function composeReply<P extends ReplyPassage>(passages: readonly P[], termsOf: (text: string) => string[]): P[] {
  const [best, ...further] = passages;
  if (!best) return [];
  const said = new Set(termsOf(`${best.title} ${best.text}`));
  let room = READING_BUDGET - best.text.length;
  const shown: P[] = [best];
  for (const passage of further) {
    const isNew = (sentence: string) => {
      const terms = termsOf(sentence);
      let repeated = 0;
      for (const term of terms) if (said.has(term)) repeated++;
      return terms.length > 0 && repeated < REPEATED_SHARE * terms.length;
    };
    const fresh = passage.text
      .split('\n')
      .map((line) => sentencesOfLine(line).filter(isNew).join(' '))
      .filter((line) => line.trim() !== '')
      .join('\n');
    const text = truncateAtSentence(fresh, room);
    if (text.length < MIN_FURTHER_CHARS) continue;
    for (const term of termsOf(text)) said.add(term);
    room -= text.length;
    shown.push({ ...passage, text });
  }
  return shown;
}

/** The sentences of one line of passage text (a capital after the stop, so "e.g. this" stays whole); questionSignals.ts splits chat messages. */
export function sentencesOfLine(line: string): string[] {
  return line
    .split(/(?<=[.!?])\s+(?=[A-Z0-9\u201C"(])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The reply as plain text (for `npm run ask` and the grading): passages with their titles, then their sources. */
export function replyText(passages: readonly ReplyPassage[]): string {
  const body = passages.map((p) => `**${p.title}**\n${p.text}`).join('\n\n');
  return `${body}\n\n${sourcesText(passages, MAX_ANSWER_CHARS - body.length - 2)}`;
}

/**
 * Each passage's sources, with links where a source has one: a passage cites only what it drew on. Passages
 * citing the same sources share a line; one passage's sources need no heading of their own.
 */
export function sourcesText(passages: readonly ReplyPassage[], limit = Infinity): string {
  const byCitations = new Map<string, { cited: string; headings: string[] }>();
  for (const passage of passages) {
    const key = passage.sources.map((s) => s.text).sort().join('\n');
    const group = byCitations.get(key) ?? { cited: passage.sources.map(citationMarkdown).join('; '), headings: [] };
    group.headings.push(passage.title.split(' › ').at(-1)!);
    byCitations.set(key, group);
  }
  const groups = [...byCitations.values()];
  const lines = groups.length === 1 ? [groups[0]!.cited] : groups.map(({ cited, headings }) => `${headings.join('; ')}: ${cited}`);
  const heading = passages.flatMap((p) => p.sources).length > 1 ? 'Sources:' : 'Source:';
  return cutToLength([heading, ...lines.map((line) => `• ${line}`)].join('\n'), limit);
}

function citationMarkdown(citation: Citation): string {
  return citation.url ? `[${citation.text}](${citation.url})` : citation.text;
}
