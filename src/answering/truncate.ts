import { cutToLength } from '../text/cut.js';

const ELLIPSIS = '…';

/**
 * Shortens text to at most `max` code units, never inside a character, cutting after the last whole sentence (or line) that fits and
 * marking the cut with an ellipsis. Falls back to a word boundary when no sentence ends in the second half.
 */
export function truncateAtSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = cutToLength(text, max - ELLIPSIS.length);
  let cut = -1;
  for (const match of room.matchAll(/[.!?](?=\s)|\n/g)) cut = match.index + (match[0] === '\n' ? 0 : 1);
  if (cut < room.length / 2) {
    const space = room.lastIndexOf(' ');
    cut = space > room.length / 2 ? space : room.length;
  }
  return `${room.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}
