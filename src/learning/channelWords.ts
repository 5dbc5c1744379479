import type { ChannelWords } from '../answering/messageSignals.js';

/** A word's evidence is smoothed as if this many more messages on each side held it (chosen by cross-validation from 1, 3 and 10). */
const SMOOTHING = 3;
/** Words fewer messages hold are left out: they say little and would fill the model file (chosen from 1, 2 and 3). */
const MIN_MESSAGES = 2;

/** Per word, the smoothed log-odds that a labelled message holding it was a question put to the channel. */
export function countChannelWords(messages: readonly { words: readonly string[]; asks: boolean }[]): ChannelWords {
  const holding = new Map<string, { asking: number; other: number }>();
  let asking = 0;
  for (const message of messages) {
    if (message.asks) asking++;
    for (const word of message.words) {
      let count = holding.get(word);
      if (!count) holding.set(word, (count = { asking: 0, other: 0 }));
      if (message.asks) count.asking++;
      else count.other++;
    }
  }
  const other = messages.length - asking;
  const evidence = (count: { asking: number; other: number }) =>
    Math.log((count.asking + SMOOTHING) / (asking + SMOOTHING)) - Math.log((count.other + SMOOTHING) / (other + SMOOTHING));
  return Object.fromEntries(
    [...holding]
      .filter(([, count]) => count.asking + count.other >= MIN_MESSAGES)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([word, count]) => [word, Number(evidence(count).toPrecision(4))]),
  );
}
