import { describe, expect, it } from 'vitest';
import { CHANNEL_FEATURES, messageFeatures, messageWords } from '../../src/answering/messageSignals.js';
import { countChannelWords } from '../../src/learning/channelWords.js';

const asking = (text: string) => ({ words: messageWords(text), asks: true });
const chatter = (text: string) => ({ words: messageWords(text), asks: false });
const askingWords = (message: string, words: Record<string, number>) => messageFeatures(message, words)[CHANNEL_FEATURES.indexOf('askingWords')];

describe("the channel's words", () => {
  const words = countChannelWords([
    asking('anyone know which degree is worth it?'),
    asking('is a degree worth it for ML?'),
    chatter('thanks, the bot is down again today'),
    chatter('bot down today lol'),
    chatter('nice, thanks!'),
    asking('thanks in advance: which cloud should I learn?'),
  ]);

  it('weighs a word by what the messages holding it were, leaving out words one message holds', () => {
    expect(words.degree).toBeGreaterThan(0);
    expect(words.worth).toBeGreaterThan(0);
    expect(words.today).toBeLessThan(0);
    expect(words.bot).toBeLessThan(0);
    // Held by two chatter messages and one question: it leans to chatter, less than "today" does.
    expect(words.thanks).toBeLessThan(0);
    expect(words.thanks).toBeGreaterThan(words.today!);
    expect(words).not.toHaveProperty('cloud');
    expect(Object.keys(words)).toEqual(Object.keys(words).sort());
  });

  it("reads a message's words as the mean of those the labelled messages held, its code left out", () => {
    expect(askingWords('is the degree worth it', words)).toBeCloseTo((words.is! + words.degree! + words.worth! + words.it!) / 4, 10);
    expect(askingWords('is the degree worth it ```bot down today```', words)).toBe(askingWords('is the degree worth it', words));
    expect(askingWords('kubernetes helm', words)).toBe(0);
    expect(askingWords('constructor toString', words)).toBe(0);
  });
});
