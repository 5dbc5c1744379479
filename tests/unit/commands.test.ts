import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../../src/answering/engine.js';
import { COMMANDS } from '../../commands/index.js';
import type { CommandModule } from '../../src/bot/command.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { createDispatcher, type CommandRequest } from '../../src/bot/dispatch.js';
import { DISCORD_LIMITS, embedLength, type Reply } from '../../src/bot/reply.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/knowledge/loader.js';
import { MEMBER, testContext } from '../support/commandContext.js';

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
});

/** Runs a command the way the bot does (validation, limits, errors), without Discord. */
function run(name: string, options: CommandRequest['options'] = {}, invoker = MEMBER): Promise<Reply> {
  const dispatcher = createDispatcher(testContext(engine, COMMANDS), new Cooldown(1000, 60_000));
  return dispatcher.run({ name, options, invoker });
}

function expectWithinLimits(reply: Reply) {
  for (const embed of reply.embeds ?? []) {
    expect(embedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
  }
}

describe('/ask', () => {
  it('answers privately by default with the passage, its sources and how sure it is, in words', async () => {
    const reply = await run('ask', { question: 'what is data drift' });
    expect(reply.ephemeral).toBe(true);
    const embed = reply.embeds![0]!;
    expect(embed.title).toContain('data drift');
    expect(embed.description!.toLowerCase()).toContain('drift');
    expect(embed.fields!.at(-1)).toMatchObject({ name: expect.stringMatching(/^Sources?$/), value: expect.stringContaining('Code Labs Academy') });
    expect(embed.footer!.text).toMatch(/^(I'm confident this answers it|This should answer it|This may help)\./);
    expect(JSON.stringify(embed)).not.toMatch(/\d ?%|Matched:/);
    expect(embed.author!.name).toBe('“what is data drift”');
    expectWithinLimits(reply);
  });

  it('explains, when asked, the words it matched and missed and the probability', async () => {
    const embed = (await run('ask', { question: 'what is data drift in a bakery', explain: true })).embeds![0]!;
    const why = embed.fields!.find((f) => f.name === 'Why this answer')!;
    expect(why.value).toMatch(/Matched: .*data drift/);
    expect(why.value).toMatch(/Not matched: .*bakery/);
    expect(why.value).toMatch(/Probability it answers the question: \d+ %/);
  });

  it('answers in public when asked to', async () => {
    expect((await run('ask', { question: 'what is data drift', public: true })).ephemeral).toBe(false);
  });

  it('says plainly when something is not covered, and offers nearby topics', async () => {
    const embed = (await run('ask', { question: 'what laptop should an ML engineer buy for deep learning at home' })).embeds![0]!;
    expect(embed.title).toBe('Not covered in the knowledge base');
    expect(embed.description).toContain('Nearby topics');
  });

  it('autocompletes from the knowledge base', async () => {
    const dispatcher = createDispatcher(testContext(engine, COMMANDS), new Cooldown(5, 60_000));
    const choices = await dispatcher.autocomplete('ask', { name: 'question', value: 'salary ind' }, MEMBER);
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]!.name.toLowerCase()).toContain('india');
    for (const choice of choices) expect(choice.name.length).toBeLessThanOrEqual(100);
  });
});

describe('/compare', () => {
  it('puts two roles side by side, the same in both orders', async () => {
    const one = (await run('compare', { role_a: 'ml-engineer', role_b: 'statistician' })).embeds![0]!;
    const other = (await run('compare', { role_a: 'statistician', role_b: 'ml-engineer' })).embeds![0]!;
    expect(one.title).toBe('ML engineer vs statistician');
    expect(other.title).toBe('Statistician vs ML engineer');
    expect(one.description).toBe(other.description);
    const byName = (fields: typeof one.fields) => Object.fromEntries((fields ?? []).filter((f) => f.name !== '\u200b').map((f) => [f.name, f.value]));
    expect(byName(one.fields)).toEqual(byName(other.fields));
    expect(Object.keys(byName(one.fields))).toEqual(expect.arrayContaining(['ML engineer · Focus', 'Statistician · Tools', 'Sources']));
    expectWithinLimits({ ephemeral: true, embeds: [one] });
  });

  it('compares roles without a direct comparison document from their profiles', async () => {
    const embed = (await run('compare', { role_a: 'data-analyst', role_b: 'statistician' })).embeds![0]!;
    expect(embed.description).toContain('no direct comparison');
    expect(embed.fields!.some((f) => f.name === 'Data analyst · Typical work')).toBe(true);
  });

  it('asks for two different roles when given the same one twice', async () => {
    const reply = await run('compare', { role_a: 'data-scientist', role_b: 'data-scientist' });
    expect(reply).toEqual({ ephemeral: true, content: 'Pick two different roles: both were **data scientist**.' });
  });
});

describe('the other commands', () => {
  it('/learn answers what to learn, narrowed by area', async () => {
    const tools = (await run('learn')).embeds![0]!;
    expect(`${tools.description} ${tools.fields!.map((f) => f.value).join(' ')}`).toMatch(/TensorFlow|PyTorch/);
    const languages = (await run('learn', { area: 'languages' })).embeds![0]!;
    expect(languages.description).toMatch(/Python/);
  });

  it('/paths lists the ways into the role', async () => {
    const embed = (await run('paths')).embeds![0]!;
    expect(embed.fields!.length).toBeGreaterThan(2);
    expect(JSON.stringify(embed)).toMatch(/applied ML engineer/i);
  });

  it('/tip gives a tip with its source and a pointer to /ask', async () => {
    const embed = (await run('tip')).embeds![0]!;
    expect(embed.description).toBe(engine.tips[0]!.text);
    expect(embed.fields![0]!.name).toBe('Source');
    expect(embed.footer!.text).toContain('/ask');
  });

  it('/sources names every source, a page at a time, with links, and the size of the knowledge base', async () => {
    const first = (await run('sources')).embeds![0]!;
    expect(first.description).toContain('Ramya Shankar');
    expect(first.description).toContain(`**${engine.knowledge.passages.length}** passages`);
    const pages = Number(/Page 1 of (\d+)/.exec(first.footer!.text)![1]);
    const listed = [];
    for (let page = 1; page <= pages; page++) {
      const embed = (await run('sources', { page })).embeds![0]!;
      expect(embed.description!.length).toBeLessThanOrEqual(4096);
      listed.push(...embed.description!.split('\n').filter((line) => line.startsWith('• ')));
    }
    expect(listed).toHaveLength(engine.sources.length);
    expect(listed.filter((line) => line.includes('](http'))).toHaveLength(engine.sources.filter((s) => s.url).length);
    expect((await run('sources', { page: 999 })).embeds![0]!.footer!.text).toContain(`Page ${pages} of ${pages}`);
  });

  it('/help lists every command', async () => {
    const text = (await run('help')).embeds![0]!.description!;
    for (const command of COMMANDS) expect(text).toContain(`/${command.definition.name}`);
  });
});

describe('dispatching', () => {
  it('refuses a moderator command to a member without Manage Server, whatever the client showed', async () => {
    const moderated: CommandModule = { ...COMMANDS.find((c) => c.definition.name === 'help')!, moderatorOnly: true };
    const dispatcher = createDispatcher(testContext(engine, [moderated]), new Cooldown(5, 60_000));
    expect((await dispatcher.run({ name: 'help', options: {}, invoker: MEMBER })).content).toContain('Manage Server');
    expect((await dispatcher.run({ name: 'help', options: {}, invoker: { ...MEMBER, canManageServer: true } })).embeds).toHaveLength(1);
  });

  it('answers an unknown command politely', async () => {
    const reply = await run('gone');
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('/help');
  });

  it('answers options that no longer fit the command as an outdated command', async () => {
    const reply = await run('compare', { role_a: 'astronaut', role_b: 'ml-engineer' });
    expect(reply.content).toContain('out of date');
  });

  it('rate limits questions per member and server, saying when to try again', async () => {
    let now = new Date('2026-11-23T12:00:00Z');
    const dispatcher = createDispatcher(testContext(engine, COMMANDS), new Cooldown(5, 60_000, () => now));
    const ask = (invoker = MEMBER) => dispatcher.run({ name: 'ask', options: { question: 'what is data drift' }, invoker });
    for (let i = 0; i < 5; i++) expect((await ask()).embeds).toHaveLength(1);
    const refused = await ask();
    expect(refused).toEqual({ ephemeral: true, content: `You are asking quickly: try again <t:${Date.parse('2026-11-23T12:01:00Z') / 1000}:R>.` });
    expect((await ask({ ...MEMBER, userId: '999999999999999999' })).embeds).toHaveLength(1);
    // Another server is counted apart: it may be on another shard, and a server's count stays in its shard's memory.
    expect((await ask({ ...MEMBER, guildId: '555555555555555555' })).embeds).toHaveLength(1);
    now = new Date('2026-11-23T12:01:00.001Z');
    expect((await ask()).embeds).toHaveLength(1);
    expect((await dispatcher.run({ name: 'help', options: {}, invoker: MEMBER })).embeds).toHaveLength(1);
  });
});
