// /kb for a server's own entries and for teaching, through the dispatcher as Discord's glue calls it.
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { loadEngine, type Engine } from '../../src/answering/engine.js';
import type { AttachmentOption } from '../../src/bot/command.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { createDispatcher, type CommandRequest } from '../../src/bot/dispatch.js';
import type { Reply } from '../../src/bot/reply.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/knowledge/loader.js';
import { MEMBER, MODERATOR, testContext, type TestContextOptions } from '../support/commandContext.js';

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
});

const ENTRY_FIELDS = {
  title: 'When does the study group meet?',
  questions: 'what time is the weekly study session',
  answer: 'Every Thursday at 18:00 UTC in the voice channel.',
  link: '',
};

function runner(options: TestContextOptions = {}) {
  const context = testContext(engine, COMMANDS, options);
  const dispatcher = createDispatcher(context, new Cooldown(100, 60_000));
  const run = (subcommand: string, commandOptions: CommandRequest['options'] = {}, invoker = MODERATOR) =>
    dispatcher.run({ name: 'kb', subcommand, options: commandOptions, invoker });
  const interact = (customId: string, input: { values?: string[]; fields?: Record<string, string> } = {}, invoker = MODERATOR) =>
    dispatcher.component({ customId, values: input.values ?? [], fields: input.fields ?? {}, invoker });
  const ask = async (question: string) => (await dispatcher.run({ name: 'ask', options: { question }, invoker: MEMBER })).embeds![0]!;
  return { run, interact, ask, context, dispatcher };
}

/** The select menu or button with this custom id in a reply. */
function component(reply: Reply, customId: string) {
  const found = reply.components?.flatMap((row) => row.components).find((c) => 'custom_id' in c && c.custom_id === customId);
  if (!found) throw new Error(`no component ${customId} in ${JSON.stringify(reply.components)}`);
  return found as { custom_id: string; options?: { label: string; value: string }[] };
}

describe('/kb add and edit', () => {
  it('open a form whose submission adds the entry, answered from at once', async () => {
    const { run, interact, ask, dispatcher } = runner();
    const request = { name: 'kb', subcommand: 'add', options: {}, invoker: MODERATOR };
    expect(dispatcher.opensModal(request)).toBe(true);
    const form = (await run('add')).modal!;
    expect(form.customId).toBe('kb:add');
    expect(form.fields.map((f) => [f.id, f.maxLength])).toEqual([['title', 100], ['questions', 2010], ['answer', 1500], ['link', 500]]);
    for (const field of form.fields) expect(field.label.length).toBeLessThanOrEqual(45);

    const added = await interact('kb:add', { fields: ENTRY_FIELDS });
    expect(added.content).toContain('Added');
    expect(added.embeds![0]).toMatchObject({ title: ENTRY_FIELDS.title, footer: { text: expect.stringMatching(/^From this server's FAQ, last edited by mod on 2026-11-23 · entry 1$/) } });
    const answer = await ask('when does the study group meet?');
    expect(answer.title).toBe(ENTRY_FIELDS.title);
    expect(JSON.stringify(answer.fields)).toContain("From this server's FAQ, last edited by mod on 2026-11-23");
  });

  it('say what was wrong with a form, and save nothing', async () => {
    const { run, interact } = runner();
    expect((await interact('kb:add', { fields: { ...ENTRY_FIELDS, link: 'ftp://x' } })).content).toBe('Not saved: the link is not a web address (https://…).');
    await interact('kb:add', { fields: ENTRY_FIELDS });
    expect((await interact('kb:add', { fields: ENTRY_FIELDS })).content).toContain('already has an entry titled');
    expect((await run('list')).embeds![0]!.title).toBe('This server’s FAQ: 1 of 500 entries');
  });

  it('edit an entry through a form filled in with it', async () => {
    const { run, interact, ask } = runner();
    await interact('kb:add', { fields: ENTRY_FIELDS });
    const form = (await run('edit', { entry: '1' })).modal!;
    expect(form.customId).toBe('kb:edit:1');
    expect(form.fields.map((f) => f.value)).toEqual([ENTRY_FIELDS.title, ENTRY_FIELDS.questions, ENTRY_FIELDS.answer, undefined]);
    const saved = await interact('kb:edit:1', { fields: { ...ENTRY_FIELDS, answer: 'Every Friday at 17:00 UTC now.' } }, { ...MODERATOR, username: 'other-mod' });
    expect(saved.content).toContain('Saved');
    expect((await ask('when does the study group meet?')).description).toBe('Every Friday at 17:00 UTC now.');
    expect((await run('edit', { entry: 'no such entry' })).content).toContain('This server has no entry “no such entry”');
    expect((await interact('kb:edit:first', { fields: ENTRY_FIELDS })).content).toBe('That button is not one I know any more.');
  });
});

describe('/kb list, show, remove', () => {
  it('list the entries, show one, and remove one at once', async () => {
    const { run, interact, ask, dispatcher } = runner();
    await interact('kb:add', { fields: ENTRY_FIELDS });
    expect((await run('list')).embeds![0]!.description).toBe('`1` When does the study group meet?');
    expect(await dispatcher.autocomplete('kb', { name: 'entry', value: 'study' }, MODERATOR)).toEqual([{ name: ENTRY_FIELDS.title, value: '1' }]);
    expect(await dispatcher.autocomplete('kb', { name: 'entry', value: 'study' }, { ...MODERATOR, guildId: '999999999999999999' })).toEqual([]);
    expect((await run('show', { entry: ENTRY_FIELDS.title.toUpperCase() })).embeds![0]).toMatchObject({ title: ENTRY_FIELDS.title, description: ENTRY_FIELDS.answer });
    expect((await run('remove', { entry: '1' })).content).toContain('Removed “When does the study group meet?”');
    expect((await ask('when does the study group meet?')).title).toBe('Not covered in the knowledge base');
    expect((await run('list')).content).toContain('no entries yet');
  });
});

describe('/kb export and import', () => {
  it('export the entries as a file that imports back', async () => {
    const uploads = new Map<string, Uint8Array>();
    const download = async (file: AttachmentOption) => uploads.get(file.url)!;
    const { run, interact } = runner({ download });
    expect((await run('export')).content).toContain('no entries to export');
    await interact('kb:add', { fields: ENTRY_FIELDS });
    const exported = await run('export');
    expect(exported.files).toEqual([{ name: 'server-faq.md', data: expect.any(Buffer) }]);

    const elsewhere = runner({ download });
    uploads.set('https://cdn.example/faq.md', exported.files![0]!.data);
    const file = { name: 'faq.md', url: 'https://cdn.example/faq.md', size: exported.files![0]!.data.length };
    expect((await elsewhere.run('import', { file })).content).toBe('Imported faq.md: 1 added, 0 replaced. This server has 1 entries.');
    expect((await elsewhere.run('import', { file })).content).toContain('0 added, 1 replaced');
  });

  it('import nothing from a broken file, naming the line, and refuse one too large before reading it', async () => {
    const download = async () => Buffer.from('---\ntitle: FAQ\ntopic: faq\nsources: [faq]\nreviewed: 2026-11-23\n---\nText before any entry.\n');
    const { run } = runner({ download });
    const reply = await run('import', { file: { name: 'faq.md', url: 'https://cdn.example/faq.md', size: 80 } });
    expect(reply.content).toBe('Nothing imported: the file has problems, so every entry stays as it was.\n• `faq.md:7` has text before the first "##" heading: every entry starts with its title as a heading');
    const tooLarge = await run('import', { file: { name: 'huge.md', url: 'https://cdn.example/huge.md', size: 5_000_000 } });
    expect(tooLarge.content).toBe('Nothing imported: huge.md is larger than 2 MB.');
  });
});

describe('teaching from /kb stats', () => {
  it('picks a declined question, then the topic that answers it, from then on answered in this server', async () => {
    const { run, interact, ask } = runner();
    const question = 'how much rupees does an ML fresher get in pune';
    expect((await ask(question)).title).toBe('Not covered in the knowledge base');
    const menu = component(await run('stats'), 'kb:teach');
    expect(menu.options).toEqual([{ label: question, value: expect.stringMatching(/^[0-9a-f]{16}$/), description: 'declined 1×' }]);

    const topics = await interact('kb:teach', { values: [menu.options![0]!.value] });
    const key = menu.options![0]!.value;
    const picker = component(topics, `kb:teach-to:${key}`);
    const india = picker.options!.find((o) => o.label.includes('India'))!;
    expect(component(topics, `kb:teach-search:${key}`)).toBeDefined();

    const taught = await interact(`kb:teach-to:${key}`, { values: [india.value] });
    expect(taught.content).toMatch(/^Taught: “how much rupees does an ML fresher get in pune” is answered with \*\*.*India.*\*\* in this server\. Asked now, it is answered/);
    expect((await ask(question)).title).toContain('India');
    expect((await run('stats')).components).toEqual([]);
    expect((await run('taught')).embeds![0]!.description).toContain(`“${question}” → `);
  });

  it('finds a topic with the search box', async () => {
    const { run, interact, ask } = runner();
    await ask('how much rupees does an ML fresher get in pune');
    const key = component(await run('stats'), 'kb:teach').options![0]!.value;
    const form = (await interact(`kb:teach-search:${key}`)).modal!;
    expect(form).toMatchObject({ customId: `kb:teach-find:${key}`, fields: [{ id: 'topic' }] });
    const found = await interact(`kb:teach-find:${key}`, { fields: { topic: 'salary india' } });
    expect(component(found, `kb:teach-to:${key}`).options!.some((o) => o.label.includes('India'))).toBe(true);
  });

  it('forgets a taught question with /kb taught remove', async () => {
    const { run, interact, ask, dispatcher } = runner();
    const question = 'how much rupees does an ML fresher get in pune';
    await ask(question);
    const key = component(await run('stats'), 'kb:teach').options![0]!.value;
    const india = component(await interact('kb:teach', { values: [key] }), `kb:teach-to:${key}`).options!.find((o) => o.label.includes('India'))!;
    await interact(`kb:teach-to:${key}`, { values: [india.value] });
    expect(await dispatcher.autocomplete('kb', { name: 'remove', value: 'PUNE' }, MODERATOR)).toEqual([{ name: question, value: question }]);
    expect((await run('taught', { remove: question })).content).toBe(`Forgot “${question}”.`);
    expect((await ask(question)).title).toBe('Not covered in the knowledge base');
    expect((await run('taught', { remove: question })).content).toContain('never taught me');
  });

  it('exports every server’s taught phrasings for bot owners only', async () => {
    const { run } = runner({ botOwnerIds: new Set([MODERATOR.userId]) });
    expect((await run('export-taught', {}, { ...MEMBER, canManageServer: true })).content).toContain('Only the bot’s owners');
    expect((await run('export-taught')).content).toContain('No server has taught me anything');
  });
});

describe('permissions', () => {
  it('refuse every /kb subcommand and form to a member without Manage Server', async () => {
    const { run, interact } = runner();
    for (const subcommand of ['stats', 'add', 'list', 'export', 'taught']) {
      expect((await run(subcommand, {}, MEMBER)).content, subcommand).toContain('Manage Server');
    }
    expect((await run('remove', { entry: '1' }, MEMBER)).content).toContain('Manage Server');
    expect((await interact('kb:add', { fields: ENTRY_FIELDS }, MEMBER)).content).toContain('Manage Server');
    expect((await interact('kb:teach-to:0123456789abcdef', { values: ['x'] }, MEMBER)).content).toContain('Manage Server');
  });
});
