import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotAgainstDouble, type BotAgainstDouble } from '../support/botProcess.js';
import { createGuildFixture, createUser, type DiscordDouble } from '../support/discord-double.js';

const moderator = createUser({ username: 'moderator' });
const guild = createGuildFixture({ name: 'ML careers', channels: ['general', 'tips'].map((name) => ({ name })), members: [{ user: moderator }] });
const otherGuild = createGuildFixture({ name: 'Data science club', channels: [{ name: 'locked' }], members: [{ user: moderator }] });
const thirdGuild = createGuildFixture({ name: 'Kaggle crew', channels: [{ name: 'tips' }], members: [{ user: moderator }] });
const channel = (name: string) => guild.channels.find((c) => c.name === name)!.id;
const lockedChannel = otherGuild.channels.find((c) => c.name === 'locked')!.id;
const asModerator = { user: moderator, manageGuild: true };

let running: BotAgainstDouble;
let discord: DiscordDouble;

beforeAll(async () => {
  running = await startBotAgainstDouble({ guilds: [guild, otherGuild, thirdGuild] });
  discord = running.discord;
}, 60_000);

afterAll(() => running?.stop());

describe('daily tips', () => {
  it('rejects an unknown time zone and a time that is not a time', async () => {
    const zone = await discord.slash('config tips set', { channel: channel('tips'), time: '09:00', timezone: 'Mars/Olympus_Mons' }, asModerator);
    expect(zone.content).toContain('not a time zone I know');
    const time = await discord.slash('config tips set', { channel: channel('tips'), time: '25:99', timezone: 'UTC' }, asModerator);
    expect(time.content).toContain('not a time of day');
  });

  it('autocompletes time zones', async () => {
    const result = await discord.autocomplete('config tips set', { channel: channel('tips'), time: '09:00', timezone: 'berl' }, { ...asModerator, focused: 'timezone' });
    expect(result.choices?.map((c) => c.value)).toContain('Europe/Berlin');
  });

  it('posts the tip in the configured channel, once, without mentions; today’s right away when its time has passed', async () => {
    const reply = await discord.slash('config tips set', { channel: channel('tips'), time: '00:00', timezone: 'UTC' }, asModerator);
    expect(reply.content).toContain('Daily tips on');
    const post = await discord.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${channel('tips')}/messages`, { timeoutMs: 5_000 });
    const body = post.body as { allowed_mentions: unknown; embeds: { title: string; fields: { name: string }[]; footer: { text: string } }[] };
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(body.embeds[0]).toMatchObject({ title: 'Tip of the day', fields: [{ name: 'Source' }], footer: { text: expect.stringContaining('/ask') } });

    await discord.slash('config tips set', { channel: channel('tips'), time: '00:00', timezone: 'UTC' }, asModerator);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channel('tips')}/messages`)).toHaveLength(1);
    const shown = await discord.slash('config tips show', {}, asModerator);
    expect(JSON.stringify(shown.embeds[0])).toMatch(/posted/);
  });

  it('posts once when Discord posted the tip but answered with an error: the retry carries the same nonce, with enforce_nonce', async () => {
    const tipsChannel = thirdGuild.channels[0]!.id;
    const posting = { method: 'POST', path: `/channels/${tipsChannel}/messages` };
    discord.failNext({ ...posting, status: 500, afterHandling: true });
    await discord.slash('config tips set', { channel: tipsChannel, time: '00:00', timezone: 'UTC' }, { ...asModerator, guildId: thirdGuild.id, channelId: tipsChannel });
    const answered = await discord.waitForRequest((r) => r.method === 'POST' && r.path === posting.path && r.status < 300, { timeoutMs: 10_000 });
    const attempts = discord.requests.filter((r) => r.method === 'POST' && r.path === posting.path);
    expect(attempts.length).toBeGreaterThan(1);
    const nonces = attempts.map((r) => (r.body as { nonce: string; enforce_nonce: boolean }).nonce);
    expect(new Set(nonces).size).toBe(1);
    expect(attempts.every((r) => (r.body as { enforce_nonce: boolean }).enforce_nonce)).toBe(true);
    expect(discord.messagesIn(tipsChannel, { includeEphemeral: false })).toHaveLength(1);
    expect((answered.response as { id: string }).id).toBe(discord.messagesIn(tipsChannel, { includeEphemeral: false })[0]!.id);
  });

  it('turns tips off when Discord refuses the channel, and says why', async () => {
    const inOtherGuild = { ...asModerator, guildId: otherGuild.id, channelId: lockedChannel };
    discord.failNext({ method: 'POST', path: `/channels/${lockedChannel}/messages`, status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    await discord.slash('config tips set', { channel: lockedChannel, time: '00:00', timezone: 'UTC' }, inOtherGuild);
    await running.bot.waitForLog((line) => String(line.msg).includes('turned daily tips off'), 10_000);
    const shown = await discord.slash('config tips show', {}, inOtherGuild);
    expect(JSON.stringify(shown.embeds[0])).toContain('off: the bot may not post in the channel');
  });

  it('posts today’s tip when tips are set again after Discord refused the channel', async () => {
    const inOtherGuild = { ...asModerator, guildId: otherGuild.id, channelId: lockedChannel };
    await discord.slash('config tips set', { channel: lockedChannel, time: '00:00', timezone: 'UTC' }, inOtherGuild);
    const post = await discord.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${lockedChannel}/messages` && r.status < 300, { timeoutMs: 5_000 });
    expect((post.body as { embeds: { title: string }[] }).embeds[0]!.title).toBe('Tip of the day');
  });
});
