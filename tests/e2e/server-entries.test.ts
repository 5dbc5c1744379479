// A server's own knowledge end to end: `npm start` against the Discord double, with two servers that must
// never see each other's entries, taught questions or stats.
import type { APIMessage, APIUser } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotAgainstDouble, startBotProcess, type BotAgainstDouble } from '../support/botProcess.js';
import { createGuildFixture, createUser, type DiscordDouble, type InteractionResult } from '../support/discord-double.js';

const moderatorA = createUser({ username: 'mod-a' });
const moderatorB = createUser({ username: 'mod-b' });
const member = createUser({ username: 'member' });
const serverA = createGuildFixture({ name: 'Study club', channels: [{ name: 'general' }, { name: 'help' }], members: [{ user: moderatorA }, { user: member }] });
const serverB = createGuildFixture({ name: 'Data science club', channels: [{ name: 'general' }], members: [{ user: moderatorB }, { user: member }] });
const inA = { guildId: serverA.id };
const inB = { guildId: serverB.id };
const asModeratorOf = (guild: typeof serverA, user: APIUser) => ({ guildId: guild.id, user, manageGuild: true });

const ENTRY = {
  title: 'When does the study group meet?',
  questions: 'what time is the weekly study session\nis there a study group',
  answer: 'The study group meets every Thursday at 18:00 UTC in the voice channel. Bring a notebook and a question.',
  link: 'https://example.org/study-group',
};
const NOT_COVERED = 'Not covered in the knowledge base';

let running: BotAgainstDouble;
let discord: DiscordDouble;

beforeAll(async () => {
  running = await startBotAgainstDouble({ guilds: [serverA, serverB], defaultUser: member });
  discord = running.discord;
}, 60_000);

afterAll(() => running?.stop());

/** A member asks; each asks as a new member, so that asking quickly is never what is tested. */
async function ask(question: string, where: { guildId: string }): Promise<InteractionResult> {
  const asker = discord.createUser({}, { guildId: where.guildId });
  return discord.slash('ask', { question }, { ...where, user: asker });
}

/** The select menu or button with this custom id on a message. */
function component(message: APIMessage | undefined, customId: string) {
  const rows = (message?.components ?? []) as { components?: { custom_id?: string }[] }[];
  const found = rows.flatMap((row) => row.components ?? []).find((c) => c.custom_id === customId);
  if (!found) throw new Error(`no component ${customId} on ${JSON.stringify(message?.components)}`);
  return found as { custom_id: string; options?: { label: string; value: string }[] };
}

describe('a server’s own entries', () => {
  it('are added by a moderator through a form and answered from in that server only', async () => {
    const opened = await discord.slash('kb add', {}, asModeratorOf(serverA, moderatorA));
    expect(opened.type).toBe(9);
    const added = await discord.fillModal(opened, ENTRY);
    expect(added.ephemeral).toBe(true);
    expect(added.content).toContain('Added');

    const answer = await ask('when does the study group meet?', inA);
    expect(answer.embeds[0]!.title).toBe(ENTRY.title);
    const source = JSON.stringify(answer.embeds[0]!.fields);
    expect(source).toContain("From this server's FAQ, last edited by mod-a on ");
    expect(source).toContain(ENTRY.link);

    expect((await ask('when does the study group meet?', inB)).embeds[0]!.title).toBe(NOT_COVERED);
    const suggested = (where: { guildId: string }) => discord.autocomplete('ask', { question: 'study gro' }, { ...where, user: member, focused: 'question' });
    expect((await suggested(inA)).choices!.map((c) => c.name)).toContain(ENTRY.title);
    expect((await suggested(inB)).choices!.map((c) => c.name)).not.toContain(ENTRY.title);
  });

  it('answer questions in a watched channel of that server', async () => {
    const help = serverA.channels.find((c) => c.name === 'help')!.id;
    expect((await discord.slash('config channels add', { channel: help }, asModeratorOf(serverA, moderatorA))).content).toContain('I will answer');
    await discord.sendUserMessage({ channelId: help, content: 'hi all, is there a study group? when does it meet?', author: member });
    const post = await discord.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${help}/messages`, { timeoutMs: 5_000 });
    expect(JSON.stringify(post.body)).toContain(ENTRY.title);
  });

  it('take an edit and a removal into account at once', async () => {
    const form = await discord.slash('kb edit', { entry: '1' }, asModeratorOf(serverA, moderatorA));
    expect(form.type).toBe(9);
    const saved = await discord.fillModal(form, { answer: 'The study group now meets every Friday at 17:00 UTC.' });
    expect(saved.content).toContain('Saved');
    expect((await ask('when does the study group meet?', inA)).embeds[0]!.description).toBe('The study group now meets every Friday at 17:00 UTC.');

    expect((await discord.slash('kb remove', { entry: '1' }, asModeratorOf(serverA, moderatorA))).content).toContain('Removed');
    expect((await ask('when does the study group meet?', inA)).embeds[0]!.title).toBe(NOT_COVERED);
  });

  it('are imported from a file only when all of it is right, the reply naming the line', async () => {
    const file = (body: string) => ({ filename: 'faq.md', contents: `---\ntitle: Server FAQ\ntopic: server-faq\nsources: [server-faq]\nreviewed: 2026-11-23\n---\n${body}` });
    const broken = await discord.slash('kb import', { file: file('\n## Study group\nThursdays.\n\n## Rules\n') }, asModeratorOf(serverA, moderatorA));
    expect(broken.content).toBe('Nothing imported: the file has problems, so every entry stays as it was.\n• `faq.md:11` entry “Rules”: the answer is empty');
    expect((await discord.slash('kb list', {}, asModeratorOf(serverA, moderatorA))).content).toContain('no entries yet');

    const imported = await discord.slash('kb import', { file: file(`\n## ${ENTRY.title}\n${ENTRY.answer}\n`) }, asModeratorOf(serverA, moderatorA));
    expect(imported.content).toContain('1 added');
    expect((await ask('when does the study group meet?', inA)).embeds[0]!.title).toBe(ENTRY.title);
    const exported = await discord.slash('kb export', {}, asModeratorOf(serverA, moderatorA));
    const attachment = exported.original()!.attachments[0]!;
    expect(attachment.filename).toBe('server-faq.md');
    expect(await (await fetch(attachment.url)).text()).toContain(`## ${ENTRY.title}\n${ENTRY.answer}`);
  });
});

describe('teaching from the gaps', () => {
  const question = 'how much rupees does an ML fresher get in pune';

  it('teaches a declined question from /kb stats, then answers it in that server only', async () => {
    expect((await ask(question, inA)).embeds[0]!.title).toBe(NOT_COVERED);
    expect((await ask(question, inB)).embeds[0]!.title).toBe(NOT_COVERED);

    // /kb stats may defer while its chart is drawn: read the reply the moderator ends up seeing.
    const stats = await (await discord.slash('kb stats', {}, asModeratorOf(serverA, moderatorA))).waitForResponse();
    const declined = component(stats, 'kb:teach').options!.find((o) => o.label === question)!;
    const topics = await discord.selectMenu(stats, 'kb:teach', [declined.value], asModeratorOf(serverA, moderatorA));
    const picker = component(topics.original(), `kb:teach-to:${declined.value}`);
    const india = picker.options!.find((o) => o.label.includes('India'))!;
    const taught = await discord.selectMenu(topics.original()!, picker.custom_id, [india.value], asModeratorOf(serverA, moderatorA));
    expect(taught.content).toMatch(/^Taught: .* Asked now, it is answered/);

    expect((await ask(question, inA)).embeds[0]!.title).toContain('India');
    expect((await ask(question, inB)).embeds[0]!.title).toBe(NOT_COVERED);
    expect((await discord.slash('kb taught', {}, asModeratorOf(serverA, moderatorA))).embeds[0]!.description).toContain(question);
    expect((await discord.slash('kb taught', {}, asModeratorOf(serverB, moderatorB))).content).toContain('taught me nothing');
  });

  it('keeps each server’s questions to its own stats', async () => {
    const statsB = await (await discord.slash('kb stats', {}, asModeratorOf(serverB, moderatorB))).waitForResponse();
    const text = JSON.stringify(statsB.embeds);
    expect(text).toContain(question);
    // Server A's answered questions, and the message asked in its channel, are A's alone.
    expect(statsB.embeds[0]!.fields!.find((f) => f.name === 'Answered (30 days)')!.value).toBe('0 (0 %)');
    expect(text).not.toContain('hi all');
    expect(JSON.stringify((await (await discord.slash('kb stats', {}, asModeratorOf(serverA, moderatorA))).waitForResponse()).embeds)).toContain('hi all');
  });
});

describe('permissions', () => {
  it('refuse every /kb subcommand that changes something to a member without Manage Server', async () => {
    const asMember = { ...inA, user: member, manageGuild: false, bypassCommandPermissions: true };
    const attempts: [string, Record<string, string | { filename: string; contents: string }>][] = [
      ['kb add', {}],
      ['kb edit', { entry: '2' }],
      ['kb remove', { entry: '2' }],
      ['kb import', { file: { filename: 'faq.md', contents: '## x' } }],
      ['kb taught', { remove: 'how much rupees does an ML fresher get in pune' }],
      ['kb reload', {}],
    ];
    for (const [command, options] of attempts) {
      const reply = await discord.slash(command, options, asMember);
      expect(reply.type, command).toBe(4);
      expect(reply.content, command).toContain('Manage Server');
    }
    const form = await discord.submitModal('kb:add', ENTRY, { ...inA, user: member, manageGuild: false });
    expect(form.content).toContain('Manage Server');
    expect((await ask('when does the study group meet?', inA)).embeds[0]!.title).toBe(ENTRY.title);
    expect((await discord.slash('kb list', {}, asModeratorOf(serverA, moderatorA))).embeds[0]!.title).toContain('1 of 500');
  });
});

describe('after a restart', () => {
  it('the servers with entries or taught questions are indexed before anyone asks', async () => {
    await running.bot.stop();
    running.bot = startBotProcess(running.env, { dataDir: running.bot.dataDir });
    const warmed = await running.bot.waitForLog((line) => line.msg === 'indexed servers ahead of their first questions', 30_000);
    expect(warmed).toMatchObject({ servers: 1, entriesAndPhrasings: 2 });
    expect((await ask('when does the study group meet?', inA)).embeds[0]!.title).toBe(ENTRY.title);
    expect((await ask('how much rupees does an ML fresher get in pune', inA)).embeds[0]!.title).toContain('India');
  }, 60_000);
});
