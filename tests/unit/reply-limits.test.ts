import { describe, expect, it } from 'vitest';
import { truncateAtSentence } from '../../src/answering/truncate.js';
import { DISCORD_LIMITS, embedLength, fitToDiscordLimits } from '../../src/bot/reply.js';

const sentences = (count: number) => Array.from({ length: count }, (_, i) => `Sentence number ${i} is here.`).join(' ');

describe('truncating text', () => {
  it('cuts after the last whole sentence that fits and marks the cut', () => {
    const cut = truncateAtSentence(sentences(100), 200);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut.endsWith('.…')).toBe(true);
  });

  it('falls back to a word boundary when no sentence ends in reach', () => {
    const cut = truncateAtSentence('word '.repeat(100), 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut).toMatch(/word…$/);
  });

  it('leaves short text alone', () => {
    expect(truncateAtSentence('Short.', 10)).toBe('Short.');
  });
});

describe('fitting a reply to Discord limits', () => {
  it('cuts content, descriptions and fields to their limits', () => {
    const fitted = fitToDiscordLimits({
      ephemeral: true,
      content: sentences(200),
      embeds: [{ title: sentences(30), description: sentences(300), fields: Array.from({ length: 30 }, () => ({ name: 'n', value: sentences(80) })) }],
    });
    expect(fitted.content!.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    const embed = fitted.embeds![0]!;
    expect(embed.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(embed.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(embed.fields!.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const field of embed.fields!) expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    expect(embedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  });

  it('fills empty field values, which Discord rejects', () => {
    const fitted = fitToDiscordLimits({ ephemeral: false, embeds: [{ fields: [{ name: '', value: '' }] }] });
    expect(fitted.embeds![0]!.fields![0]).toEqual({ name: '\u200b', value: '\u200b' });
  });
});
