import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadEngine, type Engine } from '../../src/answering/engine.js';
import { loadEngineCached } from '../../src/answering/engineCache.js';
import { ReloadableEngine, type ReloadResult } from '../../src/answering/reloadableEngine.js';
import { COMMANDS } from '../../commands/index.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { createDispatcher, type CommandRequest } from '../../src/bot/dispatch.js';
import type { StatsChartData } from '../../src/charts/statsChart.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/knowledge/loader.js';
import { capturingLogger, fakeDiscord, MEMBER, MODERATOR, PNG_SIGNATURE, testContext, testStore, type TestContextOptions } from '../support/commandContext.js';

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
});

const CHANNEL = '333333333333333333';

function runner(overrides: TestContextOptions = {}) {
  const context = testContext(engine, COMMANDS, overrides);
  const dispatcher = createDispatcher(context, new Cooldown(100, 60_000));
  const run = (name: string, subcommand: string | undefined, options: CommandRequest['options'] = {}, invoker = MODERATOR) =>
    dispatcher.run({ name, ...(subcommand ? { subcommand } : {}), options, invoker });
  return { run, dispatcher, guilds: context.guilds, store: context.store, questionLog: context.questionLog };
}

describe('/config', () => {
  it('adds, lists and removes watched channels', async () => {
    const { run, store } = runner();
    expect((await run('config', 'channels add', { channel: CHANNEL })).content).toBe(`I will answer questions asked in <#${CHANNEL}>.`);
    expect((await run('config', 'channels list')).content).toBe(`Watched channels: <#${CHANNEL}>`);
    expect((await store.settings(MEMBER.guildId!)).watchedChannelIds).toEqual([CHANNEL]);
    expect((await run('config', 'channels remove', { channel: CHANNEL })).content).toContain('no longer answer');
    expect((await run('config', 'channels list')).content).toContain('No watched channels');
  });

  it('refuses a channel the bot cannot post in, saying why', async () => {
    const { run, store } = runner({ discord: fakeDiscord({ [CHANNEL]: 'I am missing the SendMessages permission there.' }) });
    expect((await run('config', 'channels add', { channel: CHANNEL })).content).toBe(`I cannot answer in <#${CHANNEL}>: I am missing the SendMessages permission there.`);
    expect((await store.settings(MEMBER.guildId!)).watchedChannelIds).toEqual([]);
  });

  it('warns when the Message Content intent is off', async () => {
    const { run } = runner({ discord: fakeDiscord({}, false) });
    expect((await run('config', 'channels add', { channel: CHANNEL })).content).toContain('Message Content intent is off');
  });

  it('sets auto-answer, confidence, reply mode and retention, and shows them', async () => {
    const { run, store } = runner();
    await run('config', 'auto-answer', { enabled: false });
    await run('config', 'confidence', { percent: 75 });
    await run('config', 'reply-mode', { mode: 'thread' });
    await run('config', 'retention', { days: 7 });
    expect(await store.settings(MEMBER.guildId!)).toMatchObject({ autoAnswer: false, minConfidence: 0.75, replyMode: 'thread', retentionDays: 7 });
    const fields = (await run('config', 'show')).embeds![0]!.fields!;
    expect(fields.map((f) => `${f.name}: ${f.value}`)).toEqual(
      expect.arrayContaining(['Auto-answer: paused', 'Confidence needed: 75 %', 'Answers as: a thread', 'Question texts kept: 7 days']),
    );
  });

  it('goes back to the answer model’s default line when no percent is given', async () => {
    const { run, store } = runner();
    await run('config', 'confidence', { percent: 75 });
    expect((await run('config', 'confidence', {})).content).toContain('(the default)');
    expect((await store.settings(MEMBER.guildId!)).minConfidence).toBeNull();
    const fields = (await run('config', 'show')).embeds![0]!.fields!;
    expect(fields.find((f) => f.name === 'Confidence needed')!.value).toMatch(/^\d+ % \(default\)$/);
  });

  describe('forums and threads', () => {
    const FORUM = '666666666666666600';
    const TAGS = [
      { id: '888888888888888801', name: 'Answered' },
      { id: '888888888888888802', name: 'Solved' },
      { id: '888888888888888803', name: 'Career' },
    ];
    const forumRunner = (blocked: Record<string, string> = {}) => runner({ discord: fakeDiscord(blocked, true, { [FORUM]: TAGS }) });

    it('watches a forum, saying it answers new posts inside them', async () => {
      const { run, store } = forumRunner();
      expect((await run('config', 'channels add', { channel: FORUM })).content).toBe(`I will answer new posts in <#${FORUM}>, inside each post.`);
      expect((await store.settings(MEMBER.guildId!)).watchedChannelIds).toEqual([FORUM]);
    });

    it('turns answering in threads under watched channels off and on again', async () => {
      const { run, store } = forumRunner();
      expect((await run('config', 'threads', { enabled: false })).content).toContain('not in their threads');
      expect((await store.settings(MEMBER.guildId!)).watchThreads).toBe(false);
      expect((await run('config', 'show')).embeds![0]!.fields!.find((f) => f.name === 'Threads under them')!.value).toBe('not answered');
      await run('config', 'threads', { enabled: true });
      expect((await store.settings(MEMBER.guildId!)).watchThreads).toBe(true);
    });

    it('sets the tags it adds to a forum’s posts, by name in any case or as picked, shows them, and turns them off', async () => {
      const { run, store } = forumRunner();
      await run('config', 'channels add', { channel: FORUM });
      const set = await run('config', 'forum-tag', { forum: FORUM, answered: 'answered', solved: TAGS[1]!.id });
      expect(set.content).toBe(`In <#${FORUM}> I add “Answered” to posts I answer, and “Solved” when the member who asked finds my answer helpful.`);
      expect((await store.settings(MEMBER.guildId!)).forumTags).toEqual({ [FORUM]: { answered: TAGS[0]!.id, solved: TAGS[1]!.id } });
      const shown = (await run('config', 'show')).embeds![0]!.fields!.find((f) => f.name === 'Forum tags')!.value;
      expect(shown).toBe(`<#${FORUM}>: I add “Answered” to posts I answer, and “Solved” when the member who asked finds my answer helpful`);
      expect((await run('config', 'forum-tag', { forum: FORUM, solved: 'Solved' })).content).toBe(`In <#${FORUM}> I add “Solved” when the member who asked finds my answer helpful.`);
      expect((await run('config', 'forum-tag', { forum: FORUM })).content).toBe(`I will not tag posts in <#${FORUM}>.`);
      expect((await store.settings(MEMBER.guildId!)).forumTags).toEqual({});
    });

    it('refuses a tag the forum does not have, naming those it has, and a forum where it may not tag', async () => {
      const { run, store } = forumRunner();
      expect((await run('config', 'forum-tag', { forum: FORUM, answered: 'Done' })).content).toBe(
        `I cannot tag posts in <#${FORUM}>: that forum has no tag “Done”: its tags are “Answered”, “Solved”, “Career”.`,
      );
      const blocked = forumRunner({ [FORUM]: 'I am missing the Manage Threads permission there.' });
      expect((await blocked.run('config', 'forum-tag', { forum: FORUM, answered: 'Answered' })).content).toBe(
        `I cannot tag posts in <#${FORUM}>: I am missing the Manage Threads permission there.`,
      );
      expect((await store.settings(MEMBER.guildId!)).forumTags).toEqual({});
      expect((await blocked.store.settings(MEMBER.guildId!)).forumTags).toEqual({});
    });

    it('says when a tagged forum is not watched yet', async () => {
      const { run } = forumRunner();
      expect((await run('config', 'forum-tag', { forum: FORUM, answered: 'Answered' })).content).toContain('I do not answer there yet');
    });

    it('offers the chosen forum’s tags as a moderator types', async () => {
      const { dispatcher } = forumRunner();
      expect(await dispatcher.autocomplete('config', { name: 'solved', value: 'sol' }, MODERATOR, { forum: FORUM, solved: 'sol' })).toEqual([{ name: 'Solved', value: TAGS[1]!.id }]);
      expect((await dispatcher.autocomplete('config', { name: 'answered', value: '' }, MODERATOR, { forum: FORUM })).map((c) => c.name)).toEqual(['Answered', 'Solved', 'Career']);
      expect(await dispatcher.autocomplete('config', { name: 'answered', value: '' }, MODERATOR, {})).toEqual([]);
    });

    it('shows what permissions the bot lacks, and where', async () => {
      const { run, guilds } = forumRunner();
      guilds.permissions.allows(MEMBER.guildId!, FORUM, 'answer in forum posts', ['ViewChannel', 'EmbedLinks']);
      const field = (await run('config', 'show')).embeds![0]!.fields!.find((f) => f.name === '⚠️ Missing permissions')!;
      expect(field.value).toBe(`<#${FORUM}>: to answer in forum posts, I need the Send Messages in Threads permission.`);
    });
  });

  it('refuses members without Manage Server and values out of range', async () => {
    const { run, store } = runner();
    expect((await run('config', 'confidence', { percent: 75 }, MEMBER)).content).toContain('Manage Server');
    expect((await run('config', 'confidence', { percent: 5 })).content).toContain('out of date');
    expect((await store.settings(MEMBER.guildId!)).minConfidence).toBeNull();
  });
});

describe('/config tips', () => {
  it('validates the time, the zone and the channel before turning tips on', async () => {
    const refreshed: string[] = [];
    const { run, store } = runner({ dailyTips: { refresh: (guildId) => void refreshed.push(guildId) }, discord: fakeDiscord({ '444444444444444444': 'I cannot see that channel in this server.' }) });
    expect((await run('config', 'tips set', { channel: CHANNEL, time: '9am', timezone: 'UTC' })).content).toContain('not a time of day');
    expect((await run('config', 'tips set', { channel: CHANNEL, time: '09:00', timezone: 'Narnia/Cair_Paravel' })).content).toContain('not a time zone I know');
    expect((await run('config', 'tips set', { channel: '444444444444444444', time: '09:00', timezone: 'UTC' })).content).toContain('I cannot post tips in');
    expect((await store.settings(MEMBER.guildId!)).tips).toBeNull();
    expect(refreshed).toEqual([]);

    const on = await run('config', 'tips set', { channel: CHANNEL, time: '9:30', timezone: 'asia/kolkata' });
    expect(on.content).toContain(`<#${CHANNEL}> at 09:30 (Asia/Kolkata)`);
    expect(on.content).toContain(`<t:${Date.parse('2026-11-24T04:00:00Z') / 1000}:F>`);
    expect(refreshed).toEqual([MEMBER.guildId]);
  });

  it('shows the schedule with the next post in the server’s zone, and why tips were turned off', async () => {
    const { run, store, guilds } = runner();
    expect(JSON.stringify((await run('config', 'tips show')).embeds)).toContain('off: turn them on');
    await run('config', 'tips set', { channel: CHANNEL, time: '18:00', timezone: 'Europe/Berlin' });
    const shown = (await run('config', 'tips show')).embeds![0]!.fields!;
    expect(shown.find((f) => f.name === 'Next post')!.value).toContain('Mon, 23 Nov 2026, 18:00 (Europe/Berlin)');
    // As the tip scheduler turns them off.
    await store.updateSettings(MEMBER.guildId!, (s) => ({ ...s, tips: { ...s.tips!, enabled: false, disabledReason: 'the channel no longer exists' } }));
    guilds.settings.changed(MEMBER.guildId!);
    expect(JSON.stringify((await run('config', 'tips show')).embeds)).toContain('off: the channel no longer exists');
    await run('config', 'tips off');
    expect((await store.settings(MEMBER.guildId!)).tips?.enabled).toBe(false);
  });
});

describe('members’ own data', () => {
  it('/optout and /optin switch auto-answers for the member in this server', async () => {
    const { run, store } = runner();
    const member = store.memberHash(MEMBER.userId);
    await run('optout', undefined, {}, MEMBER);
    expect(await store.isOptedOut(MEMBER.guildId!, member)).toBe(true);
    await run('optin', undefined, {}, MEMBER);
    expect(await store.isOptedOut(MEMBER.guildId!, member)).toBe(false);
  });

  it('/forget-me deletes what is kept about the member and nobody else', async () => {
    const store = testStore();
    const { run, questionLog } = runner({ store });
    const questionsThisWeek = async () => (await store.knowledgeStats(MEMBER.guildId!, new Date('2026-11-23T12:00:00Z'))).questions7d;
    await run('ask', undefined, { question: 'what is data drift' }, MEMBER);
    await run('ask', undefined, { question: 'what is data drift' }, MODERATOR);
    await questionLog.flush();
    expect(await questionsThisWeek()).toBe(2);
    expect((await run('forget-me', undefined, {}, MEMBER)).content).toContain('Deleted 1 record');
    expect(await questionsThisWeek()).toBe(1);
    expect((await run('forget-me', undefined, {}, MEMBER)).content).toBe('I kept nothing about you.');
  });

  it('/forget-me also deletes the member’s questions not yet written to the database', async () => {
    const store = testStore();
    const { run, questionLog } = runner({ store });
    await run('ask', undefined, { question: 'what is data drift' }, MEMBER);
    await run('ask', undefined, { question: 'what is data drift' }, MODERATOR);
    expect((await run('forget-me', undefined, {}, MEMBER)).content).toContain('Deleted 1 record');
    await questionLog.flush();
    expect((await store.knowledgeStats(MEMBER.guildId!, new Date('2026-11-23T12:00:00Z'))).questions7d).toBe(1);
  });
});

describe('/kb', () => {
  it('shows what members ask and what the knowledge base lacks', async () => {
    const { run } = runner();
    await run('ask', undefined, { question: 'what is data drift' }, MEMBER);
    await run('ask', undefined, { question: 'how do i bake bread' }, MEMBER);
    const embed = (await run('kb', 'stats')).embeds![0]!;
    const field = (name: string) => embed.fields!.find((f) => f.name.startsWith(name))!.value;
    expect(field('Questions')).toBe('2 in 7 days, 2 in 30 days');
    expect(field('Answered')).toBe('1 (50 %)');
    expect(field('Most declined')).toContain('how do i bake bread');
    expect(field('Words nothing matched')).toContain('bake');
  });

  it('shows the chart of the server’s questions in the embed, drawn from the store’s figures, with the text kept', async () => {
    const drawn: StatsChartData[] = [];
    const { run } = runner({ drawStatsChart: async (data) => (drawn.push(data), PNG_SIGNATURE) });
    await run('ask', undefined, { question: 'how do i bake bread' }, MEMBER);
    const reply = await run('kb', 'stats');
    expect(drawn).toHaveLength(1);
    expect(drawn[0]!.questionsPerDay.at(-1)).toEqual({ day: '2026-11-23', answered: 0, declined: 1 });
    expect(drawn[0]!.mostDeclined).toEqual([{ question: 'how do i bake bread', count: 1 }]);
    expect(reply.files).toEqual([{ name: 'knowledge-base-stats.png', data: PNG_SIGNATURE, description: expect.stringMatching(/^Chart: questions per day/) }]);
    expect(reply.embeds![0]!.image).toEqual({ url: 'attachment://knowledge-base-stats.png' });
    expect(reply.embeds![0]!.fields!.map((f) => f.name)).toContain('Most declined: write about these next');
  });

  it('lists for bot owners, and them only, the documents nobody has reviewed for a year', async () => {
    const { run } = runner({ botOwnerIds: new Set([MODERATOR.userId]), now: () => new Date('2031-01-01T12:00:00Z') });
    const names = async (invoker = MODERATOR) => (await run('kb', 'stats', {}, invoker)).embeds![0]!.fields!.map((f) => f.name);
    const owner = (await run('kb', 'stats')).embeds![0]!.fields!.find((f) => f.name === 'Documents not reviewed for a year')!;
    expect(owner.value).toMatch(/^\d{4}-\d\d-\d\d `[a-z0-9-]+\.md`/);
    const { run: asModerator } = runner({ now: () => new Date('2031-01-01T12:00:00Z') });
    expect((await asModerator('kb', 'stats')).embeds![0]!.fields!.map((f) => f.name)).not.toContain('Documents not reviewed for a year');
    expect(await names()).toContain('Documents not reviewed for a year');
  });

  it('describes the chart of a server with no questions as such', async () => {
    const { run } = runner();
    expect((await run('kb', 'stats')).files![0]!.description).toBe('Chart: no questions yet.');
  });

  it('answers with the text alone when the chart cannot be drawn, and logs why', async () => {
    const { logger, lines } = capturingLogger();
    const { run } = runner({ logger, drawStatsChart: async () => Promise.reject(new Error('no resvg binary for this platform')) });
    const reply = await run('kb', 'stats');
    expect(reply.files).toBeUndefined();
    expect(reply.embeds![0]!.image).toBeUndefined();
    expect(reply.embeds![0]!.fields!.find((f) => f.name === 'Questions')!.value).toBe('0 in 7 days, 0 in 30 days');
    expect(lines()).toContainEqual(expect.objectContaining({ level: 40, msg: expect.stringContaining('could not draw the /kb stats chart'), err: expect.objectContaining({ message: 'no resvg binary for this platform' }) }));
  });

  it('reloads only for bot owners, and keeps serving the old knowledge when the new one is broken', async () => {
    const broken: ReloadResult = { ok: false, problems: [{ file: 'knowledge/salary.md', line: 3, message: 'front matter "title": required' }] };
    const { run } = runner({ botOwnerIds: new Set([MODERATOR.userId]), reloadKnowledge: async () => broken });
    expect((await run('kb', 'reload', {}, { ...MEMBER, canManageServer: true })).content).toContain('Only the bot’s owners');
    const reply = await run('kb', 'reload');
    expect(reply.content).toContain('previous version keeps serving');
    expect(reply.content).toContain('`knowledge/salary.md:3` front matter "title": required');
  });

  it('names the knowledge directory when it is missing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ml-career-bot-reload-'));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const knowledgeDir = join(dataDir, 'knowledge');
    const reloadable = new ReloadableEngine(engine, () => loadEngineCached({ knowledgeDir, dataDir }));
    const { run } = runner({ botOwnerIds: new Set([MODERATOR.userId]), reloadKnowledge: () => reloadable.reload() });
    const reply = await run('kb', 'reload');
    expect(reply.content).toContain('previous version keeps serving');
    expect(reply.content).toContain(`\`${knowledgeDir}\` is missing`);
    expect(reloadable.current).toBe(engine);
  });

  it('reports the size after a good reload', async () => {
    const { run } = runner({ botOwnerIds: new Set([MODERATOR.userId]) });
    expect((await run('kb', 'reload')).content).toMatch(/^Reloaded: \d+ documents, \d+ passages, \d+ tips\.$/);
  });
});
