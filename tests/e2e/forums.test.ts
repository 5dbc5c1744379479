import { ChannelType, PermissionFlagsBits, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotAgainstDouble, type BotAgainstDouble } from '../support/botProcess.js';
import { BOT_ROLE, createGuildFixture, createUser, type DiscordDouble, type RecordedRequest } from '../support/discord-double.js';

const moderator = createUser({ username: 'moderator' });
const asker = createUser({ username: 'asker' });
const other = createUser({ username: 'other' });
const guild = createGuildFixture({
  name: 'ML careers',
  channels: [
    { name: 'general' },
    { name: 'help' },
    { name: 'no-threads', permissionOverwrites: [{ id: BOT_ROLE, type: 'role', deny: PermissionFlagsBits.SendMessagesInThreads }] },
    {
      name: 'ask-forum',
      type: ChannelType.GuildForum,
      tags: ['Answered', 'Solved', 'Career'],
      permissionOverwrites: [{ id: BOT_ROLE, type: 'role', allow: PermissionFlagsBits.ManageThreads }],
    },
    { name: 'other-forum', type: ChannelType.GuildForum },
  ],
  members: [moderator, asker, other].map((user) => ({ user })),
});
const channel = (name: string) => guild.channels.find((c) => c.name === name)!.id;
const tag = (name: string) => guild.channels.find((c) => c.name === 'ask-forum')!.availableTags.find((t) => t.name === name)!.id;
const asModerator = { user: moderator, manageGuild: true };
/** Questions the bot answers, one for each time it must answer: it never answers the same one twice in 10 minutes. */
const MARKER_QUESTIONS = ['what does an MLOps engineer do?', 'how do I build a portfolio for ML jobs?', 'what maths do I need for machine learning?', 'should I do a PhD for ML research?'];

let running: BotAgainstDouble;
let discord: DiscordDouble;

beforeAll(async () => {
  running = await startBotAgainstDouble({ guilds: [guild], defaultUser: asker });
  discord = running.discord;
  for (const name of ['help', 'no-threads', 'ask-forum']) {
    const added = await discord.slash('config channels add', { channel: channel(name) }, asModerator);
    expect(added.content).toMatch(/^I will answer/);
  }
}, 60_000);

afterAll(() => running?.stop());

const posted = (channelId: string) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/channels/${channelId}/messages` && r.status < 300;
const answerIn = (channelId: string) => discord.waitForRequest(posted(channelId), { timeoutMs: 5_000 });
const botPostsIn = (channelId: string) => discord.requests.filter(posted(channelId));

/**
 * Proves the bot left a message alone: a question in a new thread of #help, from a new member, is answered
 * after it, and messages are decided in the order they come.
 */
async function expectSilence(send: () => Promise<unknown>) {
  const before = discord.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)).length;
  await send();
  const marker = MARKER_QUESTIONS.shift()!;
  const member = discord.createUser({}, { guildId: guild.id });
  const thread = await discord.startUserThread({ channelId: channel('help'), name: marker, author: member });
  await discord.sendUserMessage({ channelId: thread.id, content: marker, author: member });
  await answerIn(thread.id);
  expect(discord.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)).length).toBe(before + 1);
}

describe('a watched forum', () => {
  let post: { id: string };
  let answer: APIMessage;

  it('takes the tags a moderator picks from the forum’s own', async () => {
    const offered = await discord.autocomplete('config forum-tag', { forum: channel('ask-forum'), answered: 'ans' }, { ...asModerator, focused: 'answered' });
    expect(offered.choices).toEqual([{ name: 'Answered', value: tag('Answered') }]);
    const set = await discord.slash('config forum-tag', { forum: channel('ask-forum'), answered: tag('Answered'), solved: 'solved' }, asModerator);
    expect(set.content).toBe(`In <#${channel('ask-forum')}> I add “Answered” to posts I answer, and “Solved” when the member who asked finds my answer helpful.`);
  });

  it('answers a new post once, inside the post, reading its title and first message together, and tags it', async () => {
    ({ post } = await discord.createForumPost({
      forumId: channel('ask-forum'),
      title: 'Which tools should I learn',
      content: 'I am starting out and want to be an ML engineer @everyone',
      author: asker,
      tags: ['Career'],
    }));
    const request = await answerIn(post.id);
    const body = request.body as { allowed_mentions: unknown; message_reference?: unknown; embeds: unknown; components: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(body.message_reference).toBeUndefined();
    expect(JSON.stringify(body.embeds)).toContain('Which tools should I learn');
    expect(JSON.stringify(body.components)).toContain('answer:helpful');
    answer = request.response as APIMessage;
    await discord.waitForRequest({ method: 'PATCH', path: `/channels/${post.id}` }, { timeoutMs: 5_000 });
    expect(discord.getChannel(post.id)).toMatchObject({ applied_tags: [tag('Career'), tag('Answered')] });
    await expectSilence(async () => undefined);
    expect(botPostsIn(post.id)).toHaveLength(1);
    expect(discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/threads'))).toEqual([]);
  });

  it('marks the post solved when the member who asked finds the answer helpful', async () => {
    const patches = () => discord.requests.filter((r) => r.method === 'PATCH' && r.path === `/channels/${post.id}`);
    expect((await discord.clickButton(answer, 'answer:helpful', { user: other })).type).toBe(7);
    const voted = await discord.clickButton(answer, 'answer:helpful', { user: asker });
    expect(JSON.stringify(voted.data)).toContain('Helpful (2)');
    await expect.poll(() => patches().length).toBe(2);
    expect(discord.getChannel(post.id)).toMatchObject({ applied_tags: [tag('Career'), tag('Answered'), tag('Solved')] });
  });

  it('leaves alone a post that asks nothing, a reply inside a post, and a post in an unwatched forum', async () => {
    await expectSilence(async () => {
      await discord.createForumPost({ forumId: channel('ask-forum'), title: 'Introducing myself', content: 'Hi all, I am Sam from Lisbon and I love Kaggle', author: other });
      await discord.sendUserMessage({ channelId: post.id, content: 'what is data drift?', author: other });
      await discord.createForumPost({ forumId: channel('other-forum'), title: 'What is data drift?', content: 'I keep seeing the term', author: other });
    });
  });
});

describe('threads under a watched channel', () => {
  it('answers a question asked in a member’s thread, in the thread', async () => {
    const thread = await discord.startUserThread({ channelId: channel('help'), name: 'study group', author: other });
    const { message } = await discord.sendUserMessage({ channelId: thread.id, content: 'what is data drift?', author: other });
    const request = await answerIn(thread.id);
    expect((request.body as { message_reference: { message_id: string } }).message_reference.message_id).toBe(message.id);
  });

  it('reports a missing permission once, in the log and in /config show, and stays silent there', async () => {
    const thread = await discord.startUserThread({ channelId: channel('no-threads'), name: 'questions', author: other });
    await expectSilence(async () => {
      await discord.sendUserMessage({ channelId: thread.id, content: 'which tools should I learn?', author: other });
      await discord.sendUserMessage({ channelId: thread.id, content: 'do I need a masters degree?', author: moderator });
    });
    const reports = running.bot.logs().filter((line) => String(line.msg).startsWith('missing permissions to answer in threads'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ channelId: channel('no-threads'), missing: ['SendMessagesInThreads'] });
    const shown = (await discord.slash('config show', {}, asModerator)).embeds[0]!.fields!.find((f) => f.name === '⚠️ Missing permissions');
    expect(shown?.value).toBe(`<#${channel('no-threads')}>: to answer in threads, I need the Send Messages in Threads permission.`);
  });

  it('does not answer again in the thread it opened for an answer', async () => {
    await discord.slash('config reply-mode', { mode: 'thread' }, asModerator);
    const { message } = await discord.sendUserMessage({ channelId: channel('help'), content: 'what do ML engineers earn in India?', author: moderator });
    await answerIn(message.id);
    await expectSilence(() => discord.sendUserMessage({ channelId: message.id, content: 'ML engineer vs data scientist: what is the difference?', author: other }));
  });
});
