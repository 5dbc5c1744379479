import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngine, loadEngine, type Engine } from '../../src/answering/engine.js';
import { truncateAtSentence } from '../../src/answering/truncate.js';
import { AutoAnswerer } from '../../src/bot/autoAnswers.js';
import { defineCommand } from '../../src/bot/command.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { createDispatcher } from '../../src/bot/dispatch.js';
import { DISCORD_LIMITS, fitToDiscordLimits } from '../../src/bot/reply.js';
import { BOT_PERMISSIONS } from '../../src/guilds/permissions.js';
import { DEFAULT_KNOWLEDGE_DIR, parseKnowledge } from '../../src/knowledge/loader.js';
import { cleanQuestion, MAX_QUESTION_CHARS } from '../../src/search/terms.js';
import { cutToLength, shorten } from '../../src/text/cut.js';
import { MEMBER, testContext, testGuilds, testStore } from '../support/commandContext.js';
import { knowledgeFiles } from '../support/knowledgeFixtures.js';

const graphemesOf = (text: string) => Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);

/** `cut` is `original` cut between two whole characters, perhaps with an ellipsis: nothing half-drawn. */
function expectWholeCharacters(cut: string, original: string): void {
  expect(cut).not.toMatch(/\p{Cs}/u); // half a surrogate pair
  const kept = graphemesOf(cut.replace(/…$/, '').trimEnd());
  expect(kept).toEqual(graphemesOf(original).slice(0, kept.length));
}

const ROBOT = '🤖';
const FAMILY = '👨‍👩‍👧‍👦';
const CODER = '👩🏽‍💻';
const FLAG = '🇮🇳';

describe('cutting text', () => {
  it.each([
    ['surrogate pairs', `a${ROBOT.repeat(200)}`],
    ['ZWJ sequences', `a${FAMILY.repeat(40)}`],
    ['ZWJ sequences with skin tones', `ab${CODER.repeat(40)}`],
    ['flags', `a${FLAG.repeat(100)}`],
    ['combining accents', 'e\u0301'.repeat(200)],
    ['an accent after plain letters', 'abcdefg\u0301'.repeat(40)],
    ['keycaps', 'ab 1\ufe0f\u20e3'.repeat(60)],
    ['plain ASCII', 'the quick brown fox. '.repeat(20)],
  ])('never cuts inside a character: %s', async (_, text) => {
    for (const max of [1, 2, 3, 7, 8, 50, 99, 100, 255, 256]) {
      const cut = cutToLength(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expectWholeCharacters(cut, text);
      expect(cut.length).toBeGreaterThan(max - FAMILY.length);
    }
  });

  it('keeps a CR LF line end whole', async () => {
    expect(cutToLength('ab\r\ncd', 3)).toBe('ab');
    expect(cutToLength('ab\r\ncd', 4)).toBe('ab\r\n');
  });

  it('leaves text that fits alone', async () => {
    expect(cutToLength(FAMILY, FAMILY.length)).toBe(FAMILY);
    expect(shorten(FAMILY, FAMILY.length)).toBe(FAMILY);
  });

  it('drops a character longer than the room rather than cut it', async () => {
    expect(cutToLength(FAMILY, 3)).toBe('');
    expect(cutToLength(`z${'\u0301'.repeat(300)}`, 100)).toBe('');
  });

  it('shortens with an ellipsis, within the length', async () => {
    const shortened = shorten(`why ${CODER.repeat(30)}`, 90);
    expect(shortened.length).toBeLessThanOrEqual(90);
    expect(shortened.endsWith(`${CODER}…`)).toBe(true);
  });

  it('keeps whole characters when cutting at a sentence', async () => {
    const text = `a${ROBOT.repeat(200)}`;
    const cut = truncateAtSentence(text, 256);
    expect(cut.length).toBeLessThanOrEqual(256);
    expect(cut.endsWith('…')).toBe(true);
    expectWholeCharacters(cut, text);
  });
});

describe('every place text is cut', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
  });

  it('keeps whole emoji in an embed’s author, title, fields and footer', async () => {
    const author = `a${ROBOT.repeat(200)}`;
    const family = `b${FAMILY.repeat(300)}`;
    const fitted = fitToDiscordLimits({
      ephemeral: false,
      content: family,
      embeds: [{ author: { name: author }, title: family, description: family, footer: { text: family }, fields: [{ name: author, value: family }] }],
    }).embeds![0]!;
    expect(fitted.author!.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.authorName);
    expectWholeCharacters(fitted.author!.name, author);
    for (const text of [fitted.title!, fitted.description!, fitted.footer!.text, fitted.fields![0]!.value]) expectWholeCharacters(text, family);
    expectWholeCharacters(fitted.fields![0]!.name, author);
  });

  it('keeps whole emoji in a question cut to its length', async () => {
    const question = `what is data drift ${ROBOT.repeat(300)}`;
    const cleaned = cleanQuestion(question);
    expect(cleaned.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    expectWholeCharacters(cleaned, question);
    expectWholeCharacters(cleanQuestion(`${ROBOT.repeat(2000)}x`), ROBOT.repeat(2000));
  });

  it('keeps whole emoji in the name of a thread opened on a question', async () => {
    const store = testStore();
    const channelId = MEMBER.channelId!;
    await store.updateSettings(MEMBER.guildId!, (s) => ({ ...s, watchedChannelIds: [channelId], replyMode: 'thread' }));
    const question = `what is data drift? ${FLAG.repeat(40)}`;
    const decision = await new AutoAnswerer(testGuilds(engine, store), store).decide({
      id: '900000000000000001',
      guildId: MEMBER.guildId!,
      channelId,
      authorId: MEMBER.userId,
      automated: false,
      content: question,
      place: { kind: 'channel' },
      granted: BOT_PERMISSIONS,
    });
    if (decision.kind !== 'answer') throw new Error(`expected an answer, got ${decision.reason}`);
    expect(decision.threadName.length).toBeLessThanOrEqual(90);
    expectWholeCharacters(decision.threadName, question);
  });

  it('keeps whole emoji in autocomplete choices', async () => {
    const choice = `ab${FAMILY.repeat(20)}`;
    const echo = defineCommand({
      definition: { name: 'echo', description: 'offers one long choice' },
      options: z.object({}),
      ephemeral: () => true,
      handle: () => ({ ephemeral: true }),
      autocomplete: () => [{ name: choice, value: choice }],
    });
    const dispatcher = createDispatcher(testContext(createEngine(parseKnowledge(knowledgeFiles())), [echo]), new Cooldown(5, 60_000));
    const [offered] = await dispatcher.autocomplete('echo', { name: 'x', value: '' }, MEMBER);
    expectWholeCharacters(offered!.name, choice);
    expectWholeCharacters(offered!.value, choice);
  });
});
