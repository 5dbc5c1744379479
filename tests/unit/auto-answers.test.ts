import type { Message } from 'discord.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../../src/answering/engine.js';
import { AUTO_ANSWER_LIMITS, AutoAnswerer, type ChannelMessage } from '../../src/bot/autoAnswers.js';
import { pressAnswerButton } from '../../src/bot/answerButtons.js';
import { MAX_POST_TAGS, withTag } from '../../src/bot/forumTags.js';
import { createMessageHandler } from '../../src/bot/messageEvents.js';
import { BOT_PERMISSIONS } from '../../src/guilds/permissions.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/knowledge/loader.js';
import type { GuildSettings } from '../../src/storage/store.js';
import { capturingLogger, MEMBER, MODERATOR, testGuilds, testQuestionLog, testStore } from '../support/commandContext.js';

const GUILD = '222222222222222222';
const WATCHED = '333333333333333333';
const OTHER = '555555555555555555';
const FORUM = '666666666666666600';

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
});

let sequence = 0;
function message(content: string, overrides: Partial<ChannelMessage> = {}): ChannelMessage {
  sequence++;
  return {
    id: String(900000000000000000 + sequence),
    guildId: GUILD,
    channelId: WATCHED,
    authorId: MEMBER.userId,
    automated: false,
    content,
    place: { kind: 'channel' },
    granted: BOT_PERMISSIONS,
    ...overrides,
  };
}

async function setup() {
  let now = new Date('2026-11-23T12:00:00Z');
  const store = testStore(() => now);
  await store.updateSettings(GUILD, (s) => ({ ...s, watchedChannelIds: [WATCHED, FORUM] }));
  const questionLog = testQuestionLog(store);
  const { logger, lines } = capturingLogger();
  const guilds = testGuilds(engine, store, { questionLog, logger, now: () => now });
  const answerer = new AutoAnswerer(guilds, store, () => now);
  return { store, guilds, questionLog, answerer, logLines: lines, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('answering questions in watched channels', () => {
  it('answers a question in a watched channel, with the sources and the vote and delete buttons', async () => {
    const { answerer } = await setup();
    const decision = await answerer.decide(message('ML engineer vs data scientist: what is the difference?'));
    expect(decision.kind).toBe('answer');
    if (decision.kind !== 'answer') return;
    expect(decision.mode).toBe('reply');
    expect(decision.reply.ephemeral).toBe(false);
    expect(JSON.stringify(decision.reply.embeds)).toContain('Source');
    expect(decision.reply.components![0]!.components.map((c) => ('custom_id' in c ? c.custom_id : ''))).toEqual(['answer:helpful', 'answer:not-helpful', 'answer:delete']);
  });

  it.each([
    ['an unwatched channel', message('what is data drift?', { channelId: OTHER }), 'not-watched'],
    ['a statement', message('I finished my first Kaggle competition today'), 'not-confident'],
    ['a message that is all code', message('```python\nprint("why does this fail?")\n```'), 'not-a-question'],
    ['a bot or webhook', message('what is data drift?', { automated: true }), 'automated'],
    ['a question it cannot answer', message('how do i bake bread?'), 'not-confident'],
  ])('stays silent on %s', async (_, incoming, reason) => {
    const { answerer } = await setup();
    expect(await answerer.decide(incoming)).toEqual({ kind: 'silent', reason });
  });

  it('stays silent for a member who opted out, and answers again after they opt back in', async () => {
    const { store, answerer } = await setup();
    await store.setOptedOut(GUILD, store.memberHash(MEMBER.userId), true);
    expect(await answerer.decide(message('what is data drift?'))).toEqual({ kind: 'silent', reason: 'opted-out' });
    await store.setOptedOut(GUILD, store.memberHash(MEMBER.userId), false);
    expect((await answerer.decide(message('what is data drift?'))).kind).toBe('answer');
  });

  it('follows the server’s settings: paused, thread mode, a higher confidence', async () => {
    const { store, answerer, advance, guilds } = await setup();
    // Written behind the server layer, as the tip scheduler does, which then says so.
    const update = async (change: (s: GuildSettings) => GuildSettings) => {
      await store.updateSettings(GUILD, change);
      guilds.settings.changed(GUILD);
    };
    await update((s) => ({ ...s, autoAnswer: false }));
    expect(await answerer.decide(message('what is data drift?'))).toEqual({ kind: 'silent', reason: 'auto-answer-off' });
    await update((s) => ({ ...s, autoAnswer: true, replyMode: 'thread' }));
    const decision = await answerer.decide(message('what is data drift?'));
    expect(decision).toMatchObject({ kind: 'answer', mode: 'thread', threadName: 'what is data drift?' });
    const question = 'which tools should I learn?';
    const { confidence } = engine.answerMessage(question, 0);
    expect(confidence).toBeLessThan(0.99);
    advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
    await update((s) => ({ ...s, minConfidence: confidence + 0.01 }));
    expect(await answerer.decide(message(question))).toEqual({ kind: 'silent', reason: 'not-confident' });
    await update((s) => ({ ...s, minConfidence: confidence - 0.01 }));
    expect((await answerer.decide(message(question))).kind).toBe('answer');
  });

  it('answers a channel at most once per 30 seconds', async () => {
    const { answerer, advance } = await setup();
    expect((await answerer.decide(message('what is data drift?'))).kind).toBe('answer');
    expect(await answerer.decide(message('which tools should I learn?', { authorId: MODERATOR.userId }))).toEqual({ kind: 'silent', reason: 'channel-cooldown' });
    advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
    expect((await answerer.decide(message('which tools should I learn?', { authorId: MODERATOR.userId }))).kind).toBe('answer');
  });

  it('limits how many auto-answers one member gets', async () => {
    const { answerer, advance } = await setup();
    const questions = ['what is data drift?', 'which tools should I learn?', 'do I need a masters degree?', 'what do ML engineers earn in India?'];
    const kinds: string[] = [];
    for (const q of questions) {
      kinds.push((await answerer.decide(message(q))).kind);
      advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
    }
    expect(kinds).toEqual(['answer', 'answer', 'answer', 'silent']);
    advance(AUTO_ANSWER_LIMITS.memberWindowMs);
    expect((await answerer.decide(message('what do ML engineers earn in India?'))).kind).toBe('answer');
  });

  it('does not answer the same question twice within minutes', async () => {
    const { answerer, advance } = await setup();
    expect((await answerer.decide(message('What is data drift?'))).kind).toBe('answer');
    advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
    expect(await answerer.decide(message('what is data drift', { authorId: MODERATOR.userId }))).toEqual({ kind: 'silent', reason: 'repeated' });
    advance(AUTO_ANSWER_LIMITS.repeatWindowMs);
    expect((await answerer.decide(message('what is data drift', { authorId: MODERATOR.userId }))).kind).toBe('answer');
  });

  it('takes no turn and remembers no question for an answer whose post failed', async () => {
    const { answerer } = await setup();
    for (let attempt = 0; attempt < AUTO_ANSWER_LIMITS.memberAnswers + 1; attempt++) {
      const decision = await answerer.decide(message('what is data drift?'));
      if (decision.kind !== 'answer') throw new Error(`attempt ${attempt}: expected an answer, got ${decision.reason}`);
      decision.release();
    }
    expect((await answerer.decide(message('what is data drift?'))).kind).toBe('answer');
    expect(await answerer.decide(message('what is data drift?'))).toEqual({ kind: 'silent', reason: 'repeated' });
  });

  it('leaves the channel’s turn to others when a member is past their limit', async () => {
    const { answerer, advance } = await setup();
    for (const q of ['what is data drift?', 'which tools should I learn?', 'do I need a masters degree?']) {
      expect((await answerer.decide(message(q))).kind).toBe('answer');
      advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
    }
    expect(await answerer.decide(message('what do ML engineers earn in India?'))).toEqual({ kind: 'silent', reason: 'member-limit' });
    expect((await answerer.decide(message('what do ML engineers earn in India?', { authorId: MODERATOR.userId }))).kind).toBe('answer');
  });

  it('logs every question asked in a watched channel, answered or not, for /kb stats', async () => {
    const { store, questionLog, answerer } = await setup();
    await answerer.decide(message('what is data drift?'));
    await answerer.decide(message('how do i bake bread?'));
    await answerer.decide(message('I love this server'));
    await questionLog.flush();
    const stats = await store.knowledgeStats(GUILD, new Date('2026-11-23T12:00:00Z'));
    expect(stats).toMatchObject({ questions7d: 2, answered30d: 1, declined30d: 1 });
    expect(stats.unmatchedTerms.map((t) => t.term)).toEqual(expect.arrayContaining(['bake']));
  });
});

describe('the buttons under an answer', () => {
  async function posted(answerer: AutoAnswerer, question = 'what is data drift?', messageId = '777777777777777777') {
    const incoming = message(question);
    const decision = await answerer.decide(incoming);
    if (decision.kind !== 'answer') throw new Error(`expected an answer, got ${decision.reason}`);
    await answerer.recordPosted(incoming, decision, { id: messageId, channelId: WATCHED });
    return messageId;
  }
  const press = (customId: string, invoker = MEMBER, canModerate = false) => ({ customId, messageId: '777777777777777777', invoker, canModerate, forumId: null, granted: BOT_PERMISSIONS });
  const where = (messageId: string) => ({ guildId: GUILD, channelId: WATCHED, messageId });

  it('records one vote per member, which they can change', async () => {
    const { store, guilds, answerer } = await setup();
    const messageId = await posted(answerer);
    expect(await pressAnswerButton(press('answer:helpful'), guilds, store)).toMatchObject({ kind: 'update' });
    await pressAnswerButton(press('answer:helpful'), guilds, store);
    expect(await store.tally(messageId)).toEqual({ helpful: 1, notHelpful: 0 });
    const changed = await pressAnswerButton(press('answer:not-helpful'), guilds, store);
    expect(await store.tally(messageId)).toEqual({ helpful: 0, notHelpful: 1 });
    expect(JSON.stringify(changed)).toContain('Not helpful (1)');
  });

  it('lets the asker or a moderator delete the answer, and nobody else', async () => {
    const { store, guilds, answerer, advance } = await setup();
    const messageId = await posted(answerer);
    const stranger = { ...MEMBER, userId: '666666666666666666' };
    expect(await pressAnswerButton(press('answer:delete', stranger), guilds, store)).toMatchObject({ kind: 'reply', reply: { ephemeral: true } });
    expect(await store.answer(where(messageId))).toBeDefined();
    expect((await pressAnswerButton(press('answer:delete', stranger, true), guilds, store)).kind).toBe('delete');
    expect(await store.answer(where(messageId))).toBeUndefined();
    advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
    const again = await posted(answerer, 'which tools should I learn?', '888888888888888888');
    expect((await pressAnswerButton({ ...press('answer:delete'), messageId: again }, guilds, store)).kind).toBe('delete');
  });

  it('finds an answer only from the server and channel it was posted in', async () => {
    const { store, guilds, answerer } = await setup();
    const messageId = await posted(answerer);
    const elsewhere = [
      { ...MODERATOR, guildId: '999999999999999999', canManageServer: true },
      { ...MODERATOR, channelId: OTHER, canManageServer: true },
      { ...MODERATOR, guildId: null, channelId: null },
    ];
    for (const invoker of elsewhere) {
      expect(await pressAnswerButton(press('answer:delete', invoker, true), guilds, store)).toMatchObject({ kind: 'reply', reply: { ephemeral: true } });
      expect((await pressAnswerButton(press('answer:helpful', invoker, true), guilds, store)).kind).toBe('reply');
    }
    expect(await store.answer(where(messageId))).toBeDefined();
    expect(await store.tally(messageId)).toEqual({ helpful: 0, notHelpful: 0 });
  });

  it('finds an answer posted in a thread from that thread', async () => {
    const { store, guilds, answerer } = await setup();
    const incoming = message('what is data drift?');
    const decision = await answerer.decide(incoming);
    if (decision.kind !== 'answer') throw new Error(`expected an answer, got ${decision.reason}`);
    const thread = incoming.id;
    await answerer.recordPosted(incoming, decision, { id: '777777777777777777', channelId: thread });
    expect((await pressAnswerButton(press('answer:delete', { ...MEMBER, channelId: thread }), guilds, store)).kind).toBe('delete');
  });
});

describe('posting an answer in a channel', () => {
  /** The part of a discord.js message the glue uses; its replies wait for `posting`, and fail while `failing` is set. */
  function fakeMessage(id: string, state: { failing: boolean; replies: number; posting?: Promise<void> }) {
    return {
      id,
      guildId: GUILD,
      channelId: WATCHED,
      author: { id: MEMBER.userId, bot: false },
      webhookId: null,
      system: false,
      content: 'what is data drift?',
      inGuild: () => true,
      client: { user: { id: '999999999999999990' } },
      channel: { isThread: () => false, permissionsFor: () => ({ has: () => true }) },
      async reply() {
        await state.posting;
        if (state.failing) throw new Error('Service Unavailable');
        state.replies++;
        return { id: `80000000000000000${state.replies}`, channelId: WATCHED };
      },
    } as unknown as Message;
  }

  it('answers the same question again at once when posting the first answer failed', async () => {
    const { answerer, store } = await setup();
    const { logger, lines } = capturingLogger();
    const onMessage = createMessageHandler(answerer, logger);
    const state = { failing: true, replies: 0 };
    await onMessage(fakeMessage('900000000000000101', state));
    expect(lines().some((line) => line.msg === 'could not answer a channel message')).toBe(true);
    state.failing = false;
    await onMessage(fakeMessage('900000000000000102', state));
    expect(state.replies).toBe(1);
    expect(await store.answer({ guildId: GUILD, channelId: WATCHED, messageId: '800000000000000001' })).toBeDefined();
  });

  it('lets no second answer past the limits while the first is being posted', async () => {
    const { answerer } = await setup();
    const onMessage = createMessageHandler(answerer, capturingLogger().logger);
    let posted!: () => void;
    const state = { failing: false, replies: 0, posting: new Promise<void>((resolve) => (posted = resolve)) };
    const first = onMessage(fakeMessage('900000000000000201', state));
    await onMessage(fakeMessage('900000000000000202', state));
    posted();
    await first;
    expect(state.replies).toBe(1);
  });
});

describe('forum posts and threads', () => {
  /** The first message of a new post in the forum: it has the post's id. */
  function post(title: string, content: string, overrides: Partial<ChannelMessage> = {}): ChannelMessage {
    const opened = message(content, overrides);
    return { ...opened, channelId: opened.id, place: { kind: 'forum-post', forumId: FORUM, title, starter: true }, ...overrides };
  }
  const THREAD = '777777777777777700';
  const inThread = (content: string, place: Partial<{ parentId: string; openedByBot: boolean }> = {}, overrides: Partial<ChannelMessage> = {}) =>
    message(content, { channelId: THREAD, place: { kind: 'thread', parentId: WATCHED, openedByBot: false, ...place }, ...overrides });
  const without = (...missing: string[]) => BOT_PERMISSIONS.filter((p) => !missing.includes(p));
  const QUESTIONS = [
    'what is data drift?',
    'which tools should I learn?',
    'do I need a masters degree?',
    'what do ML engineers earn in India?',
    'ML engineer vs data scientist: what is the difference?',
    'what is mlops?',
    'how do I prepare for an ML interview?',
    'should I do a PhD for ML research?',
    'what maths do I need for machine learning?',
    'how do I build a portfolio for ML jobs?',
    'what does an MLOps engineer do?',
    'can I work remotely as an ML engineer?',
  ];
  const member = (i: number) => `1000000000000000${String(i).padStart(2, '0')}`;

  it('answers a new post in a watched forum inside the post, reading its title and first message together', async () => {
    const { answerer } = await setup();
    expect(await answerer.decide(message('Hi all, I am Sam and I want to be an ML engineer'))).toEqual({ kind: 'silent', reason: 'not-confident' });
    const decision = await answerer.decide(post('Which tools should I learn', 'Hi all, I am Sam and I want to be an ML engineer'));
    expect(decision).toMatchObject({ kind: 'answer', mode: 'in-post', tagId: undefined });
    if (decision.kind !== 'answer') return;
    expect(decision.answer.question).toMatch(/^Which tools should I learn/);
    expect(decision.reply.components![0]!.components.map((c) => ('custom_id' in c ? c.custom_id : ''))).toEqual(['answer:helpful', 'answer:not-helpful', 'answer:delete']);
  });

  it.each([
    ['a reply inside a post', () => post('What is data drift?', 'what is data drift?', { place: { kind: 'forum-post', forumId: FORUM, title: 'What is data drift?', starter: false } }), 'not-a-new-post'],
    ['a post in an unwatched forum', () => post('What is data drift?', '', { place: { kind: 'forum-post', forumId: OTHER, title: 'What is data drift?', starter: true } }), 'not-watched'],
    ['a post that asks nothing', () => post('Introducing myself', 'Hi all, I am Sam from Lisbon and I love Kaggle'), 'not-confident'],
    ['a post by a bot', () => post('What is data drift?', '', { automated: true }), 'automated'],
  ])('leaves alone %s', async (_, incoming, reason) => {
    const { answerer } = await setup();
    expect(await answerer.decide(incoming())).toEqual({ kind: 'silent', reason });
  });

  it('answers in a thread under a watched channel as a reply, unless threads are off or the bot opened the thread for an answer', async () => {
    const { answerer, guilds, store } = await setup();
    await store.updateSettings(GUILD, (s) => ({ ...s, replyMode: 'thread' }));
    expect(await answerer.decide(inThread('what is data drift?'))).toMatchObject({ kind: 'answer', mode: 'reply' });
    expect(await answerer.decide(inThread('which tools should I learn?', { openedByBot: true }))).toEqual({ kind: 'silent', reason: 'answer-thread' });
    expect(await answerer.decide(inThread('which tools should I learn?', { parentId: OTHER }))).toEqual({ kind: 'silent', reason: 'not-watched' });
    await guilds.settings.setWatchThreads(GUILD, false);
    expect(await answerer.decide(inThread('which tools should I learn?'))).toEqual({ kind: 'silent', reason: 'threads-off' });
  });

  it('gives a forum ten answers a minute, once per post, and a thread turns of its own', async () => {
    const { answerer, advance } = await setup();
    const kinds: string[] = [];
    for (const [i, q] of QUESTIONS.slice(0, AUTO_ANSWER_LIMITS.forumAnswers + 1).entries()) kinds.push((await answerer.decide(post(q, '', { authorId: member(i) }))).kind);
    expect(kinds).toEqual([...Array<string>(AUTO_ANSWER_LIMITS.forumAnswers).fill('answer'), 'silent']);
    expect(await answerer.decide(post(QUESTIONS[11]!, '', { authorId: member(11) }))).toEqual({ kind: 'silent', reason: 'forum-limit' });
    advance(AUTO_ANSWER_LIMITS.forumWindowMs);
    expect((await answerer.decide(post(QUESTIONS[11]!, '', { authorId: member(11) }))).kind).toBe('answer');

    advance(AUTO_ANSWER_LIMITS.repeatWindowMs);
    expect((await answerer.decide(message(QUESTIONS[0]!, { authorId: member(20) }))).kind).toBe('answer');
    expect((await answerer.decide(inThread(QUESTIONS[1]!, {}, { authorId: member(21) }))).kind).toBe('answer');
    expect(await answerer.decide(inThread(QUESTIONS[2]!, {}, { authorId: member(22) }))).toEqual({ kind: 'silent', reason: 'channel-cooldown' });
  });

  it('reports a missing permission once, stays silent, and forgets the problem once it is granted', async () => {
    const { answerer, guilds, logLines } = await setup();
    const lacking = without('SendMessagesInThreads');
    expect(await answerer.decide(inThread('what is data drift?', {}, { granted: lacking }))).toEqual({ kind: 'silent', reason: 'missing-permission' });
    expect(await answerer.decide(inThread('which tools should I learn?', {}, { granted: lacking }))).toEqual({ kind: 'silent', reason: 'missing-permission' });
    const reports = () => logLines().filter((line) => String(line.msg).startsWith('missing permissions'));
    expect(reports()).toHaveLength(1);
    expect(reports()[0]).toMatchObject({ level: 40, guildId: GUILD, channelId: WATCHED, task: 'answer in threads', missing: ['SendMessagesInThreads'] });
    expect(guilds.permissions.of(GUILD)).toEqual([{ channelId: WATCHED, task: 'answer in threads', missing: ['SendMessagesInThreads'] }]);

    expect((await answerer.decide(inThread('what is data drift?'))).kind).toBe('answer');
    expect(guilds.permissions.of(GUILD)).toEqual([]);
    expect(await answerer.decide(post('Which tools should I learn', '', { granted: without('EmbedLinks') }))).toEqual({ kind: 'silent', reason: 'missing-permission' });
    expect(reports()).toHaveLength(2);
  });

  it('replies where it may not open a thread for the answer, and says so once', async () => {
    const { answerer, guilds, store, advance } = await setup();
    await store.updateSettings(GUILD, (s) => ({ ...s, replyMode: 'thread' }));
    expect(await answerer.decide(message('what is data drift?', { granted: without('CreatePublicThreads') }))).toMatchObject({ kind: 'answer', mode: 'reply' });
    expect(guilds.permissions.of(GUILD)).toEqual([{ channelId: WATCHED, task: 'open answer threads', missing: ['CreatePublicThreads'] }]);
    advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
    expect(await answerer.decide(message('which tools should I learn?'))).toMatchObject({ kind: 'answer', mode: 'thread' });
  });

  it('tags a post it answered when the forum has a tag for that, where it may', async () => {
    const { answerer, guilds, store } = await setup();
    await store.updateSettings(GUILD, (s) => ({ ...s, forumTags: { [FORUM]: { answered: '888888888888888801', solved: null } } }));
    expect(await answerer.decide(post('What is data drift?', '', { authorId: member(1) }))).toMatchObject({ kind: 'answer', tagId: '888888888888888801' });
    expect(await answerer.decide(post('Which tools should I learn?', '', { authorId: member(2), granted: without('ManageThreads') }))).toMatchObject({ kind: 'answer', tagId: undefined });
    expect(guilds.permissions.of(GUILD)).toEqual([{ channelId: FORUM, task: 'tag forum posts', missing: ['ManageThreads'] }]);
  });

  it('marks a post solved when the member who asked finds the answer helpful, and only then', async () => {
    const { answerer, guilds, store } = await setup();
    const SOLVED = '888888888888888802';
    const asked = post('What is data drift?', '');
    const decision = await answerer.decide(asked);
    if (decision.kind !== 'answer') throw new Error(`expected an answer, got ${decision.reason}`);
    await answerer.recordPosted(asked, decision, { id: '777777777777777701', channelId: asked.channelId });
    const press = (customId: string, userId = MEMBER.userId, forumId: string | null = FORUM) =>
      pressAnswerButton({ customId, messageId: '777777777777777701', invoker: { ...MEMBER, userId, channelId: asked.channelId }, canModerate: false, forumId, granted: BOT_PERMISSIONS }, guilds, store);

    expect(await press('answer:helpful')).not.toHaveProperty('tagId');
    await store.updateSettings(GUILD, (s) => ({ ...s, forumTags: { [FORUM]: { answered: null, solved: SOLVED } } }));
    guilds.settings.changed(GUILD);
    expect(await press('answer:not-helpful')).not.toHaveProperty('tagId');
    expect(await press('answer:helpful', MODERATOR.userId)).not.toHaveProperty('tagId');
    expect(await press('answer:helpful', MEMBER.userId, null)).not.toHaveProperty('tagId');
    expect(await press('answer:helpful')).toMatchObject({ kind: 'update', tagId: SOLVED });
  });

  it('only ever adds a tag: never twice, never past Discord’s five, the others kept', async () => {
    expect(withTag(['a', 'b'], 'c')).toEqual(['a', 'b', 'c']);
    expect(withTag(['a', 'c'], 'c')).toBeUndefined();
    expect(withTag(['a', 'b', 'd', 'e', 'f'].slice(0, MAX_POST_TAGS), 'c')).toBeUndefined();
  });
});
