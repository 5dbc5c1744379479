// The bot as two shard processes (SHARDS=auto, Discord recommending 2) on one PostgreSQL database, against the
// Discord double, which sends each server's events to its own shard as Discord does.
import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, startBotProcess, type BotProcess } from '../support/botProcess.js';
import { createGuildFixture, createUser, nextSnowflake, startDiscordDouble, type DiscordDouble, type GuildFixture } from '../support/discord-double.js';
import { shardOfGuild } from '../support/discord-double/double.js';
import { createTestSchema, type TestSchema } from '../support/postgres.js';

const moderator = createUser({ username: 'moderator' });
const member = createUser({ username: 'member' });

/** A server Discord puts on `shard` of 2. */
function guildOnShard(shard: number, name: string): GuildFixture {
  let id = nextSnowflake();
  while (shardOfGuild(id, 2) !== shard) id = nextSnowflake();
  return createGuildFixture({ id, name, channels: [{ name: 'general' }, { name: 'tips' }], members: [{ user: moderator }, { user: member }] });
}

const first = guildOnShard(0, 'ML careers');
const second = guildOnShard(1, 'Data science club');
const channel = (guild: GuildFixture, name: string) => guild.channels.find((c) => c.name === name)!.id;
const as = (guild: GuildFixture, user = moderator) => ({ user, guildId: guild.id, channelId: channel(guild, 'general'), manageGuild: user === moderator });

let discord: DiscordDouble;
let schema: TestSchema;
let bot: BotProcess;

beforeAll(async () => {
  schema = await createTestSchema();
  discord = await startDiscordDouble({ guilds: [first, second], sharding: { shards: 2, maxConcurrency: 16 } });
  bot = startBotProcess({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, SHARDS: 'auto', DATABASE_URL: schema.url, BOT_OWNER_IDS: moderator.id });
  try {
    await discord.waitForReady({ count: 2, timeoutMs: 60_000 });
    await discord.waitForRequest({ method: 'PUT', path: /^\/applications\/\d+\/commands$/ }, { timeoutMs: 15_000 });
    await bot.waitForLog((line) => line.msg === 'every shard is connected', 15_000);
  } catch (error) {
    throw new Error(`the shards did not come up: ${(error as Error).message}\n${bot.output().slice(-3000)}`, { cause: error });
  }
}, 90_000);

afterAll(async () => {
  await bot?.stop();
  await discord?.close();
  await schema?.drop();
  if (bot) removeDataDir(bot.dataDir);
});

describe('two shard processes on one PostgreSQL database', () => {
  it('connect one shard each, as Discord recommended, and answer each server from its own shard', async () => {
    expect(discord.gateway.sessions.map((s) => s.identify.shard).sort()).toEqual([[0, 2], [1, 2]]);
    for (const guild of [first, second]) {
      const reply = await discord.slash('ask', { question: 'what is data drift' }, as(guild, member));
      expect(reply.embeds).toHaveLength(1);
    }
  });

  it('post one tip per server per day', async () => {
    for (const guild of [first, second]) {
      const set = await discord.slash('config tips set', { channel: channel(guild, 'tips'), time: '00:00', timezone: 'UTC' }, as(guild));
      expect(set.content).toContain('Daily tips on');
      await discord.waitForMessage((m) => m.embeds[0]?.title === 'Tip of the day', { channelId: channel(guild, 'tips'), timeoutMs: 10_000 });
      // Set again: today's tip is taken.
      await discord.slash('config tips set', { channel: channel(guild, 'tips'), time: '00:00', timezone: 'UTC' }, as(guild));
    }
    for (const guild of [first, second]) expect(discord.messagesIn(channel(guild, 'tips'), { includeEphemeral: false })).toHaveLength(1);
  });

  it('count a vote once, whichever shard the presses reach', async () => {
    await discord.slash('config channels add', { channel: channel(first, 'general') }, as(first));
    const { message } = await discord.sendUserMessage({ channelId: channel(first, 'general'), content: 'what is data drift?', author: member });
    const answer = await discord.waitForMessage((m) => m.message_reference?.message_id === message.id, { channelId: channel(first, 'general'), timeoutMs: 10_000 });
    await bot.waitForLog((line) => line.msg === 'answered a question in a channel' && line.guildId === first.id);
    const label = (result: { data?: unknown }) => JSON.stringify(result.data).match(/Helpful \((\d+)\)/)?.[1];
    expect(label(await discord.clickButton(answer as APIMessage, 'answer:helpful', { user: moderator }))).toBe('1');
    expect(label(await discord.clickButton(answer as APIMessage, 'answer:helpful', { user: moderator, shard: 1 }))).toBe('1');
    expect(label(await discord.clickButton(answer as APIMessage, 'answer:helpful', { user: member, shard: 1 }))).toBe('2');
  });

  it('see settings and FAQ entries changed on the other shard, and a knowledge base reloaded there', async () => {
    const showOnSecondShard = async () => JSON.stringify((await discord.slash('config show', {}, { ...as(first), shard: 1 })).embeds[0]);
    expect(await showOnSecondShard()).toContain('(default)');
    await discord.slash('config confidence', { percent: 80 }, as(first));
    // The change travels from shard to manager to shard while the reply travels to Discord: moments, not at once.
    await expect.poll(showOnSecondShard, { timeout: 5_000 }).toContain('80 %');

    const question = 'when does the study group meet?';
    const askOnSecondShard = async () => (await discord.slash('ask', { question }, { ...as(first, member), shard: 1 })).embeds[0]?.description ?? '';
    expect(await askOnSecondShard()).not.toContain('Thursdays');
    const form = await discord.slash('kb add', {}, as(first));
    await discord.fillModal(form, { title: 'When does the study group meet?', questions: 'study group time', answer: 'Thursdays at 18:00 UTC, in the voice channel.' });
    await expect.poll(askOnSecondShard, { timeout: 5_000 }).toContain('Thursdays');

    expect((await discord.slash('kb reload', {}, as(first))).content).toContain('Reloaded');
    await bot.waitForLog((line) => line.shard === 1 && line.msg === 'knowledge base reloaded, as another shard did', 10_000);
  });

  it('restart a killed shard while the other keeps serving, and post no tip again', async () => {
    const connected = bot.logs().filter((line) => line.msg === 'connected to Discord' && line.shard === 1);
    const pid = Number(connected.at(-1)!.pid);
    process.kill(pid, 'SIGKILL');
    await bot.waitForLog((line) => line.msg === 'a shard stopped; starting it again while the others keep serving' && line.shard === 1, 10_000);
    expect((await discord.slash('ask', { question: 'what is data drift' }, as(first, member))).embeds).toHaveLength(1);

    await discord.waitForReady({ count: 3, timeoutMs: 60_000 });
    const tipsScheduled = () => bot.logs().filter((line) => line.msg === 'daily tips scheduled' && line.shard === 1).length;
    await expect.poll(tipsScheduled, { timeout: 30_000 }).toBe(2);
    expect((await discord.slash('ask', { question: 'what is data drift' }, as(second, member))).embeds).toHaveLength(1);
    expect(discord.messagesIn(channel(second, 'tips'), { includeEphemeral: false })).toHaveLength(1);
  });
});
