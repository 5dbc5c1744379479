import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { startBotAgainstDouble, startBotProcess, type BotAgainstDouble } from '../support/botProcess.js';
import type { DiscordDouble, RecordedRequest } from '../support/discord-double.js';
import { pngSize } from '../support/png.js';
import { runCli } from '../support/runCli.js';

let running: BotAgainstDouble;
let discord: DiscordDouble;

beforeAll(async () => {
  running = await startBotAgainstDouble();
  discord = running.discord;
}, 60_000);

afterAll(() => running?.stop());

/** Every request that carries a message must say that it mentions nobody. */
function messagePayloads(requests: readonly RecordedRequest[]): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  for (const request of requests) {
    const body = request.body as Record<string, unknown> | undefined;
    if (!body) continue;
    if (/\/interactions\/.+\/callback$/.test(request.path)) {
      const data = body.data as Record<string, unknown> | undefined;
      if ([4, 7].includes(body.type as number) && data) bodies.push(data);
    } else if (/^\/(webhooks|channels)\//.test(request.path) && ['POST', 'PATCH'].includes(request.method) && ('content' in body || 'embeds' in body)) {
      bodies.push(body);
    }
  }
  return bodies;
}

describe('the bot, started with npm start against a Discord double', () => {
  it('logs in and registers its slash commands', () => {
    expect(discord.commands().map((c) => c.name).sort()).toEqual(COMMANDS.map((c) => c.definition.name).sort());
  });

  it('answers /ask privately with an embed from the knowledge base', async () => {
    const reply = await discord.slash('ask', { question: 'what is data drift' });
    expect(reply.type).toBe(4);
    expect(reply.ephemeral).toBe(true);
    expect(reply.embeds[0]!.title).toMatch(/drift/i);
    expect(JSON.stringify(reply.embeds[0]!.fields)).toContain('Code Labs Academy');
  });

  it('answers in public when asked to', async () => {
    const reply = await discord.slash('ask', { question: 'which tools should I learn?', public: true }, { user: discord.createUser() });
    expect(reply.ephemeral).toBe(false);
    expect(reply.embeds[0]!.description).toMatch(/TensorFlow|PyTorch|scikit/);
  });

  it('autocompletes questions while the member types', async () => {
    const result = await discord.autocomplete('ask', { question: 'salary ind' }, { focused: 'question', user: discord.createUser() });
    expect(result.type).toBe(8);
    expect(result.choices!.length).toBeGreaterThan(0);
    expect(result.choices![0]!.name.toLowerCase()).toContain('india');
  });

  it('compares two roles side by side, the same in both orders', async () => {
    const user = discord.createUser();
    const one = await discord.slash('compare', { role_a: 'ml-engineer', role_b: 'statistician' }, { user });
    const other = await discord.slash('compare', { role_a: 'statistician', role_b: 'ml-engineer' }, { user });
    expect(one.embeds[0]!.description).toBe(other.embeds[0]!.description);
    const fields = (r: typeof one) => r.embeds[0]!.fields!.filter((f) => f.name !== '\u200b').map((f) => `${f.name}: ${f.value}`).sort();
    expect(fields(one)).toEqual(fields(other));
  });

  it('declines plainly what the knowledge base does not cover', async () => {
    const reply = await discord.slash('ask', { question: 'how do i bake bread' }, { user: discord.createUser() });
    expect(reply.embeds[0]!.title).toBe('Not covered in the knowledge base');
  });

  it('answers a reply Discord rejects with a short error and an id that is in the log, and keeps running', async () => {
    const user = discord.createUser();
    discord.failNext({ method: 'POST', path: /\/interactions\/\d+\/[^/]+\/callback$/, status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
    const rejected = await discord.slash('ask', { question: 'what is data drift' }, { user });
    expect(rejected.status).toBe(400);
    const retry = await discord.waitForRequest((r) => r.path === rejected.request.path && r.status === 204);
    const data = (retry.body as { data: { content: string; flags: number } }).data;
    expect(data.flags & 64).toBe(64);
    const errorId = /error id: `([0-9a-f]{8})`/.exec(data.content)?.[1];
    expect(errorId).toBeDefined();
    await running.bot.waitForLog((line) => line.errorId === errorId && line.level === 50);
    expect((await discord.slash('ask', { question: 'what is data drift' }, { user })).embeds).toHaveLength(1);
  });

  it('logs a failed interaction call without the interaction token or the answer it carried', async () => {
    discord.failNext({ method: 'POST', path: /\/interactions\/\d+\/[^/]+\/callback$/, status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
    const rejected = await discord.slash('ask', { question: 'which tools should I learn?' }, { user: discord.createUser() });
    expect(rejected.status).toBe(400);
    const logged = await running.bot.waitForLog((line) => line.msg === 'could not answer an interaction' && JSON.stringify(line).includes(rejected.id));
    expect(JSON.stringify(logged)).toContain(`/interactions/${rejected.id}/[Redacted]/callback`);
    expect(running.bot.output()).not.toContain(rejected.token);
    expect(running.bot.output()).not.toContain(rejected.embeds[0]!.description!.slice(0, 60));
  });

  it('rate limits a member asking too fast, privately, saying when to try again', async () => {
    const user = discord.createUser();
    for (let i = 0; i < 5; i++) expect((await discord.slash('ask', { question: 'what is data drift' }, { user })).embeds).toHaveLength(1);
    const refused = await discord.slash('ask', { question: 'what is data drift' }, { user });
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toMatch(/try again <t:\d+:R>/);
  });

  it('answers a command it no longer has politely', async () => {
    const reply = await discord.slash('retired', {}, { allowUnregistered: true, user: discord.createUser() });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('/help');
  });

  it('shows moderators the chart of the server’s questions with /kb stats, as an attachment that mentions nobody', async () => {
    const result = await discord.slash('kb stats', {}, { user: discord.createUser(), manageGuild: true });
    const shown = await result.waitForResponse();
    expect(shown.embeds[0]!.fields!.find((f) => f.name === 'Questions')!.value).toMatch(/^[1-9]\d* in 7 days/);
    expect(shown.embeds[0]!.image).toMatchObject({ url: 'attachment://knowledge-base-stats.png' });
    expect(shown.attachments.map((a) => [a.filename, a.description])).toEqual([['knowledge-base-stats.png', expect.stringMatching(/^Chart: questions per day/)]]);
    expect(pngSize(new Uint8Array(await (await fetch(shown.attachments[0]!.url)).arrayBuffer()))).toEqual({ width: 800, height: 600 });
    // The upload: the reply itself, or the edit of a deferred reply when drawing took a while.
    const [upload, ...more] = messagePayloads(discord.requests.filter((r) => r.files.length > 0 && r.path.includes(result.token)));
    expect(more).toEqual([]);
    expect(upload!.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('never lets a message mention anyone, and never logs the token', () => {
    const payloads = messagePayloads(discord.requests);
    expect(payloads.length).toBeGreaterThan(5);
    for (const payload of payloads) expect(payload.allowed_mentions).toMatchObject({ parse: [] });
    expect(running.bot.output()).not.toContain(discord.token);
  });
});

describe('starting and stopping', () => {
  it('reuses its saved search index and does not register unchanged commands again on restart; stops cleanly on SIGTERM', async () => {
    const puts = () => discord.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/commands')).length;
    const before = puts();
    expect(await running.bot.stop()).toEqual({ code: 0, signal: null });
    expect(running.bot.logs().map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    running.bot = startBotProcess(running.env, { dataDir: running.bot.dataDir });
    await running.bot.waitForLog((line) => line.msg === 'slash commands unchanged; not registering again', 30_000);
    expect(running.bot.logs().map((line) => line.msg)).toContain('search index loaded');
    expect(puts()).toBe(before);
    expect((await discord.slash('help', {}, { user: discord.createUser() })).embeds).toHaveLength(1);
  }, 60_000);

  it('registers the commands again on demand with npm run deploy-commands', async () => {
    const puts = () => discord.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/commands')).length;
    const before = puts();
    const { code } = await runCli('src/cli/deployCommands.ts', [], {
      env: { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, DATA_DIR: running.bot.dataDir, LOG_LEVEL: 'warn' },
    });
    expect(code).toBe(0);
    expect(puts()).toBe(before + 1);
  });

  it('names every missing or invalid setting at once and exits 1', async () => {
    const { code, stderr } = await runCli('src/main.ts', [], { env: { DISCORD_API_URL: 'not a url', LOG_LEVEL: 'loud', DATA_DIR: '/nonexistent-for-test' } });
    expect(code).toBe(1);
    expect(stderr).toContain('DISCORD_TOKEN is required');
    expect(stderr).toContain('LOG_LEVEL');
    expect(stderr).toContain('DISCORD_API_URL');
  });
});
