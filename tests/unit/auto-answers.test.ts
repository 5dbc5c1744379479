import type { Message } from 'discord.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../../src/answering/engine.js';
import { AUTO_ANSWER_LIMITS, AutoAnswerer, type ChannelMessage } from '../../src/bot/autoAnswers.js';
import { pressAnswerButton } from '../../src/bot/answerButtons.js';
import { MAX_POST_TAGS, withTag } from '../../src/bot/forumTags.js';
import { createMessageHandler } from '../../src/bot/messageEvents.js';
import { BOT_PERMISSIONS } from '../../src/guilds/permissions.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/knowledge/loader.js';
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

function setup() {
  let now = new Date('2026-11-23T12:00:00Z');
  const store = testStore(() => now);
  store.updateSettings(GUILD, (s) => ({ ...s, watchedChannelIds: [WATCHED, FORUM] }));
  const questionLog = testQuestionLog(store);
  const { logger, lines } = capturingLogger();
  const guilds = testGuilds(engine, store, { questionLog, logger, now: () => now });
  const answerer = new AutoAnswerer(guilds, store, () => now);
  return { store, guilds, questionLog, answerer, logLines: lines, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('answering questions in watched channels', () => {
  it('answers a question in a watched channel, with the sources and the vote and delete buttons', () => {
    const { answerer } = setup();
    const decision = answerer.decide(message('ML engineer vs data scientist: what is the difference?'));
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
  ])('stays silent on %s', (_, incoming, reason) => {
    const { answerer } = setup();
    expect(answerer.decide(incoming)).toEqual({ kind: 'silent', reason });
  });

  it('stays silent for a member who opted out, and answers again after they opt back in', () => {
    const { store, answerer } = setup();
    store.setOptedOut(GUILD, store.memberHash(MEMBER.userId), true);
    expect(answerer.decide(message('what is data drift?'))).toEqual({ kind: 'silent', reason: 'opted-out' });
    store.setOptedOut(GUILD, store.memberHash(MEMBER.userId), false);
    expect(answerer.decide(message('what is data drift?')).kind).toBe('answer');
  });

  it('follows the server’s settings: paused, thread mode, a higher confidence', () => {
    const { store, answerer, advance } = setup();
    store.updateSettings(GUILD, (s) => ({ ...s, autoAnswer: false }));
    expect(answerer.decide(message('what is data drift?'))).toEqual({ kind: 'silent', reason: 'auto-answer-off' });
    store.updateSettings(GUILD, (s) => ({ ...s, autoAnswer: true, replyMode: 'thread' }));
    const decision = answerer.decide(message('what is data drift?'));
    expect(decision).toMatchObject({ kind: 'answer', mode: 'thread', threadName: 'what is data drift?' });
    const question = 'do ml engineers need soft skills?';
    const { confidence } = engine.answerMessage(question, 0);
    expect(confidence).toBeLessThan(0.99);
    advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
    store.updateSettings(GUILD, (s) => ({ ...s, minConfidence: confidence + 0.01 }));
    expect(answerer.decide(message(question))).toEqual({ kind: 'silent', reason: 'not-confident' });
    store.updateSettings(GUILD, (s) => ({ ...s, minConfidence: confidence - 0.01 }));
    expect(answerer.decide(message(question)).kind).toBe('answer');
  });

  it('answers a channel at most once per 30 seconds', () => {
    const { answerer, advance } = setup();
    expect(answerer.decide(message('what is data drift?')).kind).toBe('answer');
    expect(answerer.decide(message('which tools should I learn?', { authorId: MODERATOR.userId }))).toEqual({ kind: 'silent', reason: 'channel-cooldown' });
    advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
    expect(answerer.decide(message('which tools should I learn?', { authorId: MODERATOR.userId })).kind).toBe('answer');
  });

  it('limits how many auto-answers one member gets', () => {
    const { answerer, advance } = setup();
    const questions = ['what is data drift?', 'which tools should I learn?', 'do I need a masters degree?', 'what do ML engineers earn in India?'];
    const kinds = questions.map((q) => {
      const kind = answerer.decide(message(q)).kind;
      advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
      return kind;
    });
    expect(kinds).toEqual(['answer', 'answer', 'answer', 'silent']);
    advance(AUTO_ANSWER_LIMITS.memberWindowMs);
    expect(answerer.decide(message('what do ML engineers earn in India?')).kind).toBe('answer');
  });

  it('does not answer the same question twice within minutes', () => {
    const { answerer, advance } = setup();
    expect(answerer.decide(message('What is data drift?')).kind).toBe('answer');
    advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
    expect(answerer.decide(message('what is data drift', { authorId: MODERATOR.userId }))).toEqual({ kind: 'silent', reason: 'repeated' });
    advance(AUTO_ANSWER_LIMITS.repeatWindowMs);
    expect(answerer.decide(message('what is data drift', { authorId: MODERATOR.userId })).kind).toBe('answer');
  });

  it('takes no turn and remembers no question for an answer whose post failed', () => {
    const { answerer } = setup();
    for (let attempt = 0; attempt < AUTO_ANSWER_LIMITS.memberAnswers + 1; attempt++) {
      const decision = answerer.decide(message('what is data drift?'));
      if (decision.kind !== 'answer') throw new Error(`attempt ${attempt}: expected an answer, got ${decision.reason}`);
      decision.release();
    }
    expect(answerer.decide(message('what is data drift?')).kind).toBe('answer');
    expect(answerer.decide(message('what is data drift?'))).toEqual({ kind: 'silent', reason: 'repeated' });
  });

  it('leaves the channel’s turn to others when a member is past their limit', () => {
    const { answerer, advance } = setup();
    for (const q of ['what is data drift?', 'which tools should I learn?', 'do I need a masters degree?']) {
      expect(answerer.decide(message(q)).kind).toBe('answer');
      advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
    }
    expect(answerer.decide(message('what do ML engineers earn in India?'))).toEqual({ kind: 'silent', reason: 'member-limit' });
    expect(answerer.decide(message('what do ML engineers earn in India?', { authorId: MODERATOR.userId })).kind).toBe('answer');
  });

  it('logs every question asked in a watched channel, answered or not, for /kb stats', () => {
    const { store, questionLog, answerer } = setup();
    answerer.decide(message('what is data drift?'));
    answerer.decide(message('how do i bake bread?'));
    answerer.decide(message('I love this server'));
    questionLog.flush();
    const stats = store.knowledgeStats(GUILD, new Date('2026-11-23T12:00:00Z'));
    expect(stats).toMatchObject({ questions7d: 2, answered30d: 1, declined30d: 1 });
    expect(stats.unmatchedTerms.map((t) => t.term)).toEqual(expect.arrayContaining(['bake']));
  });
});

describe('the buttons under an answer', () => {
  function posted(answerer: AutoAnswerer, question = 'what is data drift?', messageId = '777777777777777777') {
    const incoming = message(question);
    const decision = answerer.decide(incoming);
    if (decision.kind !== 'answer') throw new Error(`expected an answer, got ${decision.reason}`);
    answerer.recordPosted(incoming, decision, { id: messageId, channelId: WATCHED });
    return messageId;
  }
  const press = (customId: string, invoker = MEMBER, canModerate = false) => ({ customId, messageId: '777777777777777777', invoker, canModerate, forumId: null, granted: BOT_PERMISSIONS });
  const where = (messageId: string) => ({ guildId: GUILD, channelId: WATCHED, messageId });

  it('records one vote per member, which they can change', () => {
    const { store, guilds, answerer } = setup();
    const messageId = posted(answerer);
    expect(pressAnswerButton(press('answer:helpful'), guilds, store)).toMatchObject({ kind: 'update' });
    pressAnswerButton(press('answer:helpful'), guilds, store);
    expect(store.tally(messageId)).toEqual({ helpful: 1, notHelpful: 0 });
    const changed = pressAnswerButton(press('answer:not-helpful'), guilds, store);
    expect(store.tally(messageId)).toEqual({ helpful: 0, notHelpful: 1 });
    expect(JSON.stringify(changed)).toContain('Not helpful (1)');
  });

  it('lets the asker or a moderator delete the answer, and nobody else', () => {
    const { store, guilds, answerer, advance } = setup();
    const messageId = posted(answerer);
    const stranger = { ...MEMBER, userId: '666666666666666666' };
    expect(pressAnswerButton(press('answer:delete', stranger), guilds, store)).toMatchObject({ kind: 'reply', reply: { ephemeral: true } });
    expect(store.answer(where(messageId))).toBeDefined();
    expect(pressAnswerButton(press('answer:delete', stranger, true), guilds, store).kind).toBe('delete');
    expect(store.answer(where(messageId))).toBeUndefined();
    advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
    const again = posted(answerer, 'which tools should I learn?', '888888888888888888');
    expect(pressAnswerButton({ ...press('answer:delete'), messageId: again }, guilds, store).kind).toBe('delete');
  });

  it('finds an answer only from the server and channel it was posted in', () => {
    const { store, guilds, answerer } = setup();
    const messageId = posted(answerer);
    const elsewhere = [
      { ...MODERATOR, guildId: '999999999999999999', canManageServer: true },
      { ...MODERATOR, channelId: OTHER, canManageServer: true },
      { ...MODERATOR, guildId: null, channelId: null },
    ];
    for (const invoker of elsewhere) {
      expect(pressAnswerButton(press('answer:delete', invoker, true), guilds, store)).toMatchObject({ kind: 'reply', reply: { ephemeral: true } });
      expect(pressAnswerButton(press('answer:helpful', invoker, true), guilds, store).kind).toBe('reply');
    }
    expect(store.answer(where(messageId))).toBeDefined();
    expect(store.tally(messageId)).toEqual({ helpful: 0, notHelpful: 0 });
  });

  it('finds an answer posted in a thread from that thread', () => {
    const { store, guilds, answerer } = setup();
    const incoming = message('what is data drift?');
    const decision = answerer.decide(incoming);
    if (decision.kind !== 'answer') throw new Error(`expected an answer, got ${decision.reason}`);
    const thread = incoming.id;
    answerer.recordPosted(incoming, decision, { id: '777777777777777777', channelId: thread });
    expect(pressAnswerButton(press('answer:delete', { ...MEMBER, channelId: thread }), guilds, store).kind).toBe('delete');
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
    const { answerer, store } = setup();
    const { logger, lines } = capturingLogger();
    const onMessage = createMessageHandler(answerer, logger);
    const state = { failing: true, replies: 0 };
    await onMessage(fakeMessage('900000000000000101', state));
    expect(lines().some((line) => line.msg === 'could not answer a channel message')).toBe(true);
    state.failing = false;
    await onMessage(fakeMessage('900000000000000102', state));
    expect(state.replies).toBe(1);
    expect(store.answer({ guildId: GUILD, channelId: WATCHED, messageId: '800000000000000001' })).toBeDefined();
  });

  it('lets no second answer past the limits while the first is being posted', async () => {
    const { answerer } = setup();
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
    'what is kubernetes?',
    'can I work remotely as an ML engineer?',
  ];
  const member = (i: number) => `1000000000000000${String(i).padStart(2, '0')}`;

  it('answers a new post in a watched forum inside the post, reading its title and first message together', () => {
    const { answerer } = setup();
    expect(answerer.decide(message('I am starting out and want to be an ML engineer'))).toEqual({ kind: 'silent', reason: 'not-confident' });
    const decision = answerer.decide(post('Which tools should I learn', 'I am starting out and want to be an ML engineer'));
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
  ])('leaves alone %s', (_, incoming, reason) => {
    const { answerer } = setup();
    expect(answerer.decide(incoming())).toEqual({ kind: 'silent', reason });
  });

  it('answers in a thread under a watched channel as a reply, unless threads are off or the bot opened the thread for an answer', () => {
    const { answerer, guilds, store } = setup();
    store.updateSettings(GUILD, (s) => ({ ...s, replyMode: 'thread' }));
    expect(answerer.decide(inThread('what is data drift?'))).toMatchObject({ kind: 'answer', mode: 'reply' });
    expect(answerer.decide(inThread('which tools should I learn?', { openedByBot: true }))).toEqual({ kind: 'silent', reason: 'answer-thread' });
    expect(answerer.decide(inThread('which tools should I learn?', { parentId: OTHER }))).toEqual({ kind: 'silent', reason: 'not-watched' });
    guilds.settings.setWatchThreads(GUILD, false);
    expect(answerer.decide(inThread('which tools should I learn?'))).toEqual({ kind: 'silent', reason: 'threads-off' });
  });

  it('gives a forum ten answers a minute, once per post, and a thread turns of its own', () => {
    const { answerer, advance } = setup();
    const kinds = QUESTIONS.slice(0, AUTO_ANSWER_LIMITS.forumAnswers + 1).map((q, i) => answerer.decide(post(q, '', { authorId: member(i) })).kind);
    expect(kinds).toEqual([...Array<string>(AUTO_ANSWER_LIMITS.forumAnswers).fill('answer'), 'silent']);
    expect(answerer.decide(post(QUESTIONS[11]!, '', { authorId: member(11) }))).toEqual({ kind: 'silent', reason: 'forum-limit' });
    advance(AUTO_ANSWER_LIMITS.forumWindowMs);
    expect(answerer.decide(post(QUESTIONS[11]!, '', { authorId: member(11) })).kind).toBe('answer');

    advance(AUTO_ANSWER_LIMITS.repeatWindowMs);
    expect(answerer.decide(message(QUESTIONS[0]!, { authorId: member(20) })).kind).toBe('answer');
    expect(answerer.decide(inThread(QUESTIONS[1]!, {}, { authorId: member(21) })).kind).toBe('answer');
    expect(answerer.decide(inThread(QUESTIONS[2]!, {}, { authorId: member(22) }))).toEqual({ kind: 'silent', reason: 'channel-cooldown' });
  });

  it('reports a missing permission once, stays silent, and forgets the problem once it is granted', () => {
    const { answerer, guilds, logLines } = setup();
    const lacking = without('SendMessagesInThreads');
    expect(answerer.decide(inThread('what is data drift?', {}, { granted: lacking }))).toEqual({ kind: 'silent', reason: 'missing-permission' });
    expect(answerer.decide(inThread('which tools should I learn?', {}, { granted: lacking }))).toEqual({ kind: 'silent', reason: 'missing-permission' });
    const reports = () => logLines().filter((line) => String(line.msg).startsWith('missing permissions'));
    expect(reports()).toHaveLength(1);
    expect(reports()[0]).toMatchObject({ level: 40, guildId: GUILD, channelId: WATCHED, task: 'answer in threads', missing: ['SendMessagesInThreads'] });
    expect(guilds.permissions.of(GUILD)).toEqual([{ channelId: WATCHED, task: 'answer in threads', missing: ['SendMessagesInThreads'] }]);

    expect(answerer.decide(inThread('what is data drift?')).kind).toBe('answer');
    expect(guilds.permissions.of(GUILD)).toEqual([]);
    expect(answerer.decide(post('Which tools should I learn', '', { granted: without('EmbedLinks') }))).toEqual({ kind: 'silent', reason: 'missing-permission' });
    expect(reports()).toHaveLength(2);
  });

  it('replies where it may not open a thread for the answer, and says so once', () => {
    const { answerer, guilds, store, advance } = setup();
    store.updateSettings(GUILD, (s) => ({ ...s, replyMode: 'thread' }));
    expect(answerer.decide(message('what is data drift?', { granted: without('CreatePublicThreads') }))).toMatchObject({ kind: 'answer', mode: 'reply' });
    expect(guilds.permissions.of(GUILD)).toEqual([{ channelId: WATCHED, task: 'open answer threads', missing: ['CreatePublicThreads'] }]);
    advance(AUTO_ANSWER_LIMITS.channelCooldownMs);
    expect(answerer.decide(message('which tools should I learn?'))).toMatchObject({ kind: 'answer', mode: 'thread' });
  });

  it('tags a post it answered when the forum has a tag for that, where it may', () => {
    const { answerer, guilds, store } = setup();
    store.updateSettings(GUILD, (s) => ({ ...s, forumTags: { [FORUM]: { answered: '888888888888888801', solved: null } } }));
    expect(answerer.decide(post('What is data drift?', '', { authorId: member(1) }))).toMatchObject({ kind: 'answer', tagId: '888888888888888801' });
    expect(answerer.decide(post('Which tools should I learn?', '', { authorId: member(2), granted: without('ManageThreads') }))).toMatchObject({ kind: 'answer', tagId: undefined });
    expect(guilds.permissions.of(GUILD)).toEqual([{ channelId: FORUM, task: 'tag forum posts', missing: ['ManageThreads'] }]);
  });

  it('marks a post solved when the member who asked finds the answer helpful, and only then', () => {
    const { answerer, guilds, store } = setup();
    const SOLVED = '888888888888888802';
    const asked = post('What is data drift?', '');
    const decision = answerer.decide(asked);
    if (decision.kind !== 'answer') throw new Error(`expected an answer, got ${decision.reason}`);
    answerer.recordPosted(asked, decision, { id: '777777777777777701', channelId: asked.channelId });
    const press = (customId: string, userId = MEMBER.userId, forumId: string | null = FORUM) =>
      pressAnswerButton({ customId, messageId: '777777777777777701', invoker: { ...MEMBER, userId, channelId: asked.channelId }, canModerate: false, forumId, granted: BOT_PERMISSIONS }, guilds, store);

    expect(press('answer:helpful')).not.toHaveProperty('tagId');
    store.updateSettings(GUILD, (s) => ({ ...s, forumTags: { [FORUM]: { answered: null, solved: SOLVED } } }));
    expect(press('answer:not-helpful')).not.toHaveProperty('tagId');
    expect(press('answer:helpful', MODERATOR.userId)).not.toHaveProperty('tagId');
    expect(press('answer:helpful', MEMBER.userId, null)).not.toHaveProperty('tagId');
    expect(press('answer:helpful')).toMatchObject({ kind: 'update', tagId: SOLVED });
  });

  it('only ever adds a tag: never twice, never past Discord’s five, the others kept', () => {
    expect(withTag(['a', 'b'], 'c')).toEqual(['a', 'b', 'c']);
    expect(withTag(['a', 'c'], 'c')).toBeUndefined();
    expect(withTag(['a', 'b', 'd', 'e', 'f'].slice(0, MAX_POST_TAGS), 'c')).toBeUndefined();
  });
});
