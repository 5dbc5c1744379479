import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotAgainstDouble, type BotAgainstDouble } from '../support/botProcess.js';
import { createGuildFixture, createUser, type DiscordDouble, type RecordedRequest } from '../support/discord-double.js';

const owner = createUser({ username: 'owner' });
const moderator = createUser({ username: 'moderator' });
const asker = createUser({ username: 'asker' });
const other = createUser({ username: 'other' });
const optedOut = createUser({ username: 'quiet' });
const guild = createGuildFixture({
  name: 'ML careers',
  owner,
  channels: ['general', 'career-help', 'thread-help', 'random'].map((name) => ({ name })),
  members: [moderator, asker, other, optedOut].map((user) => ({ user })),
});
const channel = (name: string) => guild.channels.find((c) => c.name === name)!.id;

let running: BotAgainstDouble;
let discord: DiscordDouble;

beforeAll(async () => {
  running = await startBotAgainstDouble({ guilds: [guild], defaultUser: asker });
  discord = running.discord;
  for (const name of ['career-help', 'thread-help']) {
    const added = await discord.slash('config channels add', { channel: channel(name) }, { user: moderator, manageGuild: true });
    expect(added.content).toContain('I will answer questions asked in');
  }
}, 60_000);

afterAll(() => running?.stop());

const botPosts = () => discord.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && r.status < 300);

/** Sends a member's message, then a marker question the bot will answer, so silence on the first is proven. */
async function expectSilence(send: () => Promise<unknown>) {
  const before = botPosts().length;
  await send();
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(botPosts().length).toBe(before);
}

describe('moderator settings', () => {
  it('refuses /config to a member without Manage Server, even when a client sends it', async () => {
    const reply = await discord.slash('config show', {}, { user: other, manageGuild: false, bypassCommandPermissions: true });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('Manage Server');
  });

  it('shows the settings to a moderator', async () => {
    const reply = await discord.slash('config show', {}, { user: moderator, manageGuild: true });
    expect(JSON.stringify(reply.embeds[0])).toContain(`<#${channel('career-help')}>`);
  });
});

describe('answering questions in watched channels', () => {
  let answer: RecordedRequest;
  let answerMessage: APIMessage;

  it('replies once to a question in a watched channel, without pinging anyone, with sources and buttons', async () => {
    const { message } = await discord.sendUserMessage({ channelId: channel('career-help'), content: 'ML engineer vs data scientist: what is the difference? @everyone', author: asker });
    answer = await discord.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${channel('career-help')}/messages`, { timeoutMs: 5_000 });
    const body = answer.body as Record<string, unknown> & { allowed_mentions: Record<string, unknown>; message_reference: { message_id: string } };
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(body.message_reference.message_id).toBe(message.id);
    expect(JSON.stringify(body.embeds)).toContain('Source');
    expect(JSON.stringify(body.components)).toContain('answer:helpful');
    answerMessage = answer.response as APIMessage;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(botPosts().filter((r) => r.path === `/channels/${channel('career-help')}/messages`)).toHaveLength(1);
  });

  it('records a vote, and lets the member change it', async () => {
    const helpful = await discord.clickButton(answerMessage, 'answer:helpful', { user: other });
    expect(helpful.type).toBe(7);
    expect(JSON.stringify(helpful.data)).toContain('Helpful (1)');
    const changed = await discord.clickButton(answerMessage, 'answer:not-helpful', { user: other });
    expect(JSON.stringify(changed.data)).toContain('Helpful (0)');
    expect(JSON.stringify(changed.data)).toContain('Not helpful (1)');
  });

  it('lets the asker delete the answer, and nobody else', async () => {
    const refused = await discord.clickButton(answerMessage, 'answer:delete', { user: other });
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toContain('Only the member who asked');
    const deleted = await discord.clickButton(answerMessage, 'answer:delete', { user: asker });
    expect(deleted.ephemeral).toBe(true);
    await discord.waitForRequest({ method: 'DELETE', path: `/channels/${channel('career-help')}/messages/${answerMessage.id}` });
  });

  it('stays silent in an unwatched channel, for statements, for bots and for a member who opted out', async () => {
    await expectSilence(() => discord.sendUserMessage({ channelId: channel('random'), content: 'what is data drift?', author: other }));
    await expectSilence(() => discord.sendUserMessage({ channelId: channel('thread-help'), content: 'I just finished my first Kaggle competition', author: other }));
    await expectSilence(() => discord.sendUserMessage({ channelId: channel('thread-help'), content: 'what is data drift?', author: createUser({ username: 'another-bot', bot: true }) }));
    expect((await discord.slash('optout', {}, { user: optedOut })).content).toContain('will not answer');
    await expectSilence(() => discord.sendUserMessage({ channelId: channel('thread-help'), content: 'what is data drift?', author: optedOut }));
  });

  it('opens a thread on the question when the server prefers threads, where its buttons work', async () => {
    await discord.slash('config reply-mode', { mode: 'thread' }, { user: moderator, manageGuild: true });
    const { message } = await discord.sendUserMessage({ channelId: channel('thread-help'), content: 'which tools should I learn?', author: other });
    await discord.waitForRequest({ method: 'POST', path: `/channels/${channel('thread-help')}/messages/${message.id}/threads` }, { timeoutMs: 5_000 });
    const posted = await discord.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${message.id}/messages`, { timeoutMs: 5_000 });
    expect((posted.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [], replied_user: false });
    await running.bot.waitForLog((line) => line.msg === 'answered a question in a channel' && line.channelId === channel('thread-help'));
    const deleted = await discord.clickButton(posted.response as APIMessage, 'answer:delete', { user: other });
    expect(deleted.content).toBe('Deleted the answer.');
  });

  it('reports questions and gaps to moderators', async () => {
    await discord.sendUserMessage({ channelId: channel('career-help'), content: 'how do I become a nurse?', author: other });
    // The message and the command may reach the bot together, the command's stats read before the message is decided on.
    const stats = async () => JSON.stringify((await (await discord.slash('kb stats', {}, { user: moderator, manageGuild: true })).waitForResponse()).embeds[0]);
    await expect.poll(stats, { timeout: 10_000 }).toMatch(/Most declined.*nurse/);
  });
});

describe('without the Message Content intent', () => {
  it('warns once and still serves slash commands', async () => {
    const limited = await startBotAgainstDouble({ privilegedIntents: { messageContent: false } });
    try {
      await limited.bot.waitForLog((line) => String(line.msg).includes('Message Content intent is not enabled'));
      expect((await limited.discord.slash('ask', { question: 'what is data drift' })).embeds).toHaveLength(1);
      expect(limited.bot.logs().filter((line) => String(line.msg).includes('Message Content intent'))).toHaveLength(1);
    } finally {
      await limited.stop();
    }
  }, 60_000);
});
