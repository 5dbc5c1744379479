/**
 * Proves the Discord double against the real discord.js Client, in-process.
 */
import { once } from 'node:events';
import zlib from 'node:zlib';
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  ComponentType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  StringSelectMenuBuilder,
  type AnyThreadChannel,
  TextInputBuilder,
  TextInputStyle,
  type ForumChannel,
  type Interaction,
  type Message,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type TextChannel,
} from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BOT_ROLE, createGuildFixture, createUser, startDiscordDouble, type DiscordDouble } from '../support/discord-double.js';

let discord: DiscordDouble;
let client: Client;

/** The bot-under-test's interaction handler, swapped per test. */
let handler: (interaction: Interaction) => Promise<void> = async () => undefined;
let handlerErrors: unknown[] = [];

function onInteraction(fn: (interaction: Interaction) => Promise<void>): void {
  handler = fn;
}

function textChannel(): TextChannel {
  const channel = client.channels.cache.get(discord.channel.id);
  if (!channel || channel.type !== ChannelType.GuildText) throw new Error('text channel not cached');
  return channel;
}

const COMMANDS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  {
    name: 'ask',
    description: 'Ask a machine-learning career question',
    options: [
      { type: ApplicationCommandOptionType.String, name: 'question', description: 'Your question', required: true },
      { type: ApplicationCommandOptionType.String, name: 'topic', description: 'Narrow it down', autocomplete: true },
    ],
  },
  { name: 'slow', description: 'Takes its time' },
  {
    name: 'config',
    description: 'Configure the bot',
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    options: [
      { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show the configuration' },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'limit',
        description: 'Set a limit',
        options: [{ type: ApplicationCommandOptionType.Integer, name: 'value', description: 'The limit', required: true }],
      },
    ],
  },
];

beforeAll(async () => {
  discord = await startDiscordDouble();
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
  client.on(Events.InteractionCreate, (interaction) => {
    handler(interaction).catch((error: unknown) => handlerErrors.push(error));
  });
  const ready = once(client, Events.ClientReady);
  await client.login(discord.token);
  await ready;
}, 15_000);

afterEach(() => {
  handler = async () => undefined;
  const errors = handlerErrors;
  handlerErrors = [];
  expect(errors).toEqual([]);
});

afterAll(async () => {
  try {
    await client?.destroy();
  } finally {
    await discord?.close();
  }
});

describe('gateway', () => {
  it('identifies without compression and caches the guild, channel and bot member', async () => {
    const identify = await discord.waitForIdentify();
    expect(identify.compress).toBe(false);
    expect(identify.intents).toBe(GatewayIntentBits.Guilds);
    expect(discord.gateway.connections[0]?.query).toEqual({ v: '10', encoding: 'json' });
    await discord.ready;

    const guild = client.guilds.cache.get(discord.guild.id);
    expect(guild?.name).toBe(discord.guild.name);
    expect(guild?.available).toBe(true);
    expect(textChannel().name).toBe('general');
    expect(guild?.members.me?.id).toBe(discord.botUser.id);
    expect(textChannel().permissionsFor(guild!.members.me!).has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(client.user?.id).toBe(discord.botUser.id);
    expect(client.user?.bot).toBe(true);
    expect(client.application?.id).toBe(discord.applicationId);
  });

  it('makes the client RESUME after op 7 RECONNECT', async () => {
    const session = discord.gateway.sessions[0]!;
    const resumed = once(client.ws.shards.first()!, 'resumed');
    await discord.gateway.requestReconnect();
    await resumed;
    expect(session.resumes).toBe(1);
    expect(discord.gateway.received.some((p) => p.op === 6 && (p.d as { session_id?: string }).session_id === session.id)).toBe(true);
  });

  it('speaks zlib-stream and acknowledges heartbeats (raw socket)', async () => {
    const ws = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const inflate = zlib.createInflate();
    const payloads: Array<{ op: number; d: unknown }> = [];
    let buffered = '';
    inflate.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      try {
        payloads.push(JSON.parse(buffered) as { op: number; d: unknown });
        buffered = '';
      } catch {
        // incomplete
      }
    });
    ws.on('message', (data: Buffer, isBinary) => {
      expect(isBinary).toBe(true);
      expect([...data.subarray(-4)]).toEqual([0x00, 0x00, 0xff, 0xff]);
      inflate.write(data);
    });
    const until = async (predicate: () => boolean) => {
      const started = Date.now();
      while (!predicate()) {
        if (Date.now() - started > 2000) throw new Error(`timeout; got ${JSON.stringify(payloads)}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    try {
      await until(() => payloads.length >= 1);
      expect(payloads[0]).toMatchObject({ op: 10, d: { heartbeat_interval: 41_250 } });
      ws.send(JSON.stringify({ op: 1, d: null }));
      await until(() => payloads.some((p) => p.op === 11));
    } finally {
      ws.close();
      inflate.close();
    }
  });
});

describe('application commands', () => {
  it('bulk-overwrites global commands and keeps ids on re-registration', async () => {
    const registered = await client.application!.commands.set(COMMANDS);
    expect(registered.map((c) => c.name).sort()).toEqual(['ask', 'config', 'slow']);
    const stored = discord.commands();
    expect(stored.map((c) => c.name).sort()).toEqual(['ask', 'config', 'slow']);
    expect(stored.find((c) => c.name === 'config')?.default_member_permissions).toBe('32');
    const put = await discord.waitForRequest({ method: 'PUT', path: `/applications/${discord.applicationId}/commands` });
    expect(put.status).toBe(200);

    const again = await client.application!.commands.set(COMMANDS);
    expect(again.get(registered.find((c) => c.name === 'ask')!.id)?.name).toBe('ask');
  });

  it('stores guild commands separately', async () => {
    const guildCommands = await client.guilds.cache.get(discord.guild.id)!.commands.set([{ name: 'guild-only', description: 'Only here' }]);
    expect(guildCommands.first()?.guildId).toBe(discord.guild.id);
    expect(discord.commands(discord.guild.id).map((c) => c.name)).toEqual(['guild-only']);
    expect(discord.commands().map((c) => c.name)).not.toContain('guild-only');
  });

  it('rejects invalid definitions with 50035 Invalid Form Body', async () => {
    const attempt = client.application!.commands.create({ name: 'Bad Name', description: 'x' });
    await expect(attempt).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(attempt).rejects.toMatchObject({ code: 50035, status: 400 });
  });
});

describe('interactions', () => {
  it('delivers a slash command and records the reply (type 4, allowed_mentions)', async () => {
    const seen: Array<{ question: string; canManage: boolean | undefined }> = [];
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand() || interaction.commandName !== 'ask') return;
      const question = interaction.options.getString('question', true);
      seen.push({ question, canManage: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) });
      await interaction.reply({ content: `You asked <@${interaction.user.id}>: ${question}`, allowedMentions: { parse: [] } });
    });

    const result = await discord.slash('ask', { question: 'How do I become an ML engineer?' });
    expect(result.status).toBe(204);
    expect(result.request.response).toBeUndefined();
    expect(result.type).toBe(4);
    expect(result.content).toContain('How do I become an ML engineer?');
    expect(result.data?.allowed_mentions).toEqual({ parse: [] });
    const original = result.original();
    expect(original?.author.id).toBe(discord.botUser.id);
    expect(original?.mentions).toEqual([]); // nobody pinged
    expect(discord.messagesIn(discord.channel.id).map((m) => m.id)).toContain(original?.id);
    expect(seen).toEqual([{ question: 'How do I become an ML engineer?', canManage: false }]);

    await discord.slash('ask', { question: 'q2' }, { user: discord.users.moderator });
    await discord.slash('ask', { question: 'q3' }, { manageGuild: true });
    expect(seen.map((s) => s.canManage)).toEqual([false, true, true]);
  });

  it('passes subcommands and typed options from the registered schema, and hides admin commands', async () => {
    let limit: number | null = null;
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand() || interaction.commandName !== 'config') return;
      limit = interaction.options.getInteger('value');
      await interaction.reply({ content: `${interaction.options.getSubcommand()} ok`, flags: MessageFlags.Ephemeral });
    });
    const result = await discord.slash('config limit', { value: 5 }, { user: discord.users.moderator });
    expect(result.content).toBe('limit ok');
    expect(result.ephemeral).toBe(true);
    expect(limit).toBe(5);
    await expect(discord.slash('config show')).rejects.toThrow(/default_member_permissions/);
    await expect(discord.slash('nope')).rejects.toThrow(/not registered/);
  });

  it('round-trips autocomplete', async () => {
    onInteraction(async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const focused = interaction.options.getFocused(true);
      const topics = ['mlops', 'ml research', 'data science'].filter((t) => t.startsWith(focused.value));
      await interaction.respond(topics.map((t) => ({ name: t, value: t })));
    });
    const result = await discord.autocomplete('ask', { question: 'x', topic: 'ml' });
    expect(result.type).toBe(8);
    expect(result.choices).toEqual([
      { name: 'mlops', value: 'mlops' },
      { name: 'ml research', value: 'ml research' },
    ]);
  });

  it('defers, then edits the original (PATCH @original)', async () => {
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await interaction.editReply({ content: 'Here is a long, considered answer.' });
    });
    const result = await discord.slash('slow');
    expect(result.type).toBe(5);
    expect(result.original()?.flags).toBe(MessageFlags.Loading | MessageFlags.Ephemeral);
    const edit = await result.waitForEdit();
    expect(edit.method).toBe('PATCH');
    expect(edit.path).toBe(`/webhooks/${discord.applicationId}/${result.token}/messages/@original`);
    const shown = await result.waitForResponse();
    expect(shown.content).toBe('Here is a long, considered answer.');
    expect(shown.flags).toBe(MessageFlags.Ephemeral);
  });

  it('treats the first follow-up after a defer as an edit of the loading message', async () => {
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      await interaction.followUp({ content: 'first' });
      await interaction.followUp({ content: 'second' });
    });
    const result = await discord.slash('slow');
    const first = await result.waitForResponse();
    expect(first.id).toBe(result.original()?.id);
    expect(first.content).toBe('first');
    await result.waitForFollowUp();
    await discord.waitForMessage((m) => m.content === 'second');
    expect(result.followUps().map((m) => m.content)).toEqual(['second']);
  });

  it('answers 10062 Unknown interaction after the 3 s deadline (shortened here)', async () => {
    const errors: unknown[] = [];
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await new Promise((resolve) => setTimeout(resolve, 80));
      await interaction.reply('too late').catch((error: unknown) => errors.push(error));
    });
    const result = await discord.slash('slow', {}, { deadlineMs: 30 });
    expect(result.status).toBe(404);
    expect(result.accepted).toBe(false);
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toMatchObject({ code: 10062 });
  });

  it('rejects a reply over 2000 characters with 50035', async () => {
    const errors: unknown[] = [];
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply('x'.repeat(2001)).catch((error: unknown) => errors.push(error));
    });
    const result = await discord.slash('slow');
    expect(result.status).toBe(400);
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(DiscordAPIError);
    expect(errors[0]).toMatchObject({
      code: 50035,
      rawError: { errors: { data: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } } } },
    });
  });

  it('opens a modal and answers its submission (with_response, in a DM)', async () => {
    onInteraction(async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const input = new TextInputBuilder().setCustomId('details').setLabel('Details').setStyle(TextInputStyle.Paragraph);
        await interaction.showModal(new ModalBuilder().setCustomId('feedback').setTitle('Feedback').addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)));
      } else if (interaction.isModalSubmit()) {
        await interaction.reply({ content: `Thanks: ${interaction.fields.getTextInputValue('details')}`, withResponse: true });
      }
    });
    const opened = await discord.slash('slow', {}, { guildId: null });
    expect(opened.type).toBe(9);
    expect(opened.data?.custom_id).toBe('feedback');
    expect(opened.interaction.channel?.type).toBe(ChannelType.DM);

    const submitted = await discord.submitModal('feedback', { details: 'More on MLOps please' }, { guildId: null });
    expect(submitted.status).toBe(200); // with_response=true
    expect(submitted.request.response).toMatchObject({ resource: { type: 4, message: { content: 'Thanks: More on MLOps please' } } });
  });

  it('opens a modal of labelled text inputs and submits what the user filled in, as Discord’s client would', async () => {
    onInteraction(async (interaction) => {
      if (interaction.isChatInputCommand()) {
        await interaction.showModal({
          custom_id: 'entry',
          title: 'Entry',
          components: [
            { type: ComponentType.Label, label: 'Title', component: { type: ComponentType.TextInput, custom_id: 'title', style: TextInputStyle.Short, required: true, max_length: 20, value: 'Old title' } },
            { type: ComponentType.Label, label: 'Notes', description: 'Anything else', component: { type: ComponentType.TextInput, custom_id: 'notes', style: TextInputStyle.Paragraph, required: false } },
          ],
        });
      } else if (interaction.isModalSubmit()) {
        await interaction.reply({ content: `${interaction.fields.getTextInputValue('title')} | ${interaction.fields.getTextInputValue('notes')}` });
      }
    });
    const user = discord.createUser({}, {});
    const opened = await discord.slash('slow', {}, { user });
    expect(opened.type).toBe(9);
    expect(() => discord.fillModal(opened, { summary: 'x' })).toThrow('The modal "entry" has no text input "summary"; it has: title, notes');
    expect(() => discord.fillModal(opened, { title: '' })).toThrow('"Title" is required');
    expect(() => discord.fillModal(opened, { title: 'x'.repeat(21) })).toThrow('"Title" takes at most 20 characters; got 21');
    const submitted = await discord.fillModal(opened, { notes: 'More on MLOps please' });
    expect(submitted.interaction.data).toMatchObject({ custom_id: 'entry', components: [{ type: 18, component: { type: 4, custom_id: 'title', value: 'Old title' } }, expect.anything()] });
    expect((submitted.interaction.member as { user: { id: string } }).user.id).toBe(user.id);
    expect(submitted.content).toBe('Old title | More on MLOps please');
  });

  it('rejects a modal Discord would refuse, with 50035', async () => {
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const label = { type: ComponentType.Label as const, label: 'A label far longer than the forty-five characters allowed', component: { type: ComponentType.TextInput as const, custom_id: 'x', style: TextInputStyle.Short } };
      await interaction.showModal({ custom_id: 'too-long', title: 'Entry', components: [label] }).catch(() => undefined);
    });
    const rejected = await discord.slash('slow');
    expect(rejected.status).toBe(400);
    expect(rejected.request.response).toMatchObject({ code: 50035, errors: { data: { components: { 0: { label: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } } } } });
  });

  it('serves a file attached to a command option at its URL', async () => {
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const file = interaction.options.getAttachment('file', true);
      await interaction.reply({ content: `${file.name} (${file.size} bytes): ${await (await fetch(file.url)).text()}` });
    });
    const result = await discord.slash('upload', { file: { filename: 'faq.md', contents: '## Study group' } }, { allowUnregistered: true });
    expect(result.content).toBe('faq.md (14 bytes): ## Study group');
  });

  it('uploads files in a reply (multipart payload_json) and serves them back', async () => {
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({ content: 'Your CV checklist', files: [new AttachmentBuilder(Buffer.from('1. Projects'), { name: 'checklist.txt' })] });
    });
    const result = await discord.slash('slow');
    expect(result.content).toBe('Your CV checklist');
    expect(result.request.files.map((f) => [f.field, f.name, f.data.toString()])).toEqual([['files[0]', 'checklist.txt', '1. Projects']]);
    const attachment = result.original()?.attachments[0];
    expect(attachment?.filename).toBe('checklist.txt');
    expect(await (await fetch(attachment!.url)).text()).toBe('1. Projects');
  });

  it('uploads files in the edit of a deferred reply and in a follow-up, each with its own payload_json', async () => {
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply({ content: 'Your chart', files: [new AttachmentBuilder(Buffer.from('png bytes'), { name: 'chart.png', description: 'A chart' })], allowedMentions: { parse: [] } });
      await interaction.followUp({ content: 'And the data', files: [new AttachmentBuilder(Buffer.from('a,b'), { name: 'data.csv' })], flags: MessageFlags.Ephemeral });
    });
    const result = await discord.slash('slow');
    expect(result.type).toBe(5);
    const edit = await result.waitForEdit();
    expect(edit.files.map((f) => [f.name, f.data.toString()])).toEqual([['chart.png', 'png bytes']]);
    expect(edit.body).toMatchObject({ content: 'Your chart', allowed_mentions: { parse: [] } });
    const shown = result.original()!;
    expect(shown.flags! & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(shown.attachments.map((a) => [a.filename, a.description])).toEqual([['chart.png', 'A chart']]);
    expect(await (await fetch(shown.attachments[0]!.url)).text()).toBe('png bytes');
    await result.waitForFollowUp();
    const [followUp] = result.followUps();
    expect(followUp!.attachments.map((a) => a.filename)).toEqual(['data.csv']);
    expect(await (await fetch(followUp!.attachments[0]!.url)).text()).toBe('a,b');
  });

  it('refuses a file over the interaction’s attachment size limit (40005) and an alt text over 1024 characters (50035)', async () => {
    const errors: unknown[] = [];
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      const tooLarge = Buffer.alloc(interaction.attachmentSizeLimit + 1);
      await interaction.editReply({ files: [new AttachmentBuilder(tooLarge, { name: 'huge.png' })] }).catch((error: unknown) => errors.push(error));
      await interaction.editReply({ files: [new AttachmentBuilder(Buffer.from('png'), { name: 'chart.png', description: 'x'.repeat(1025) })] }).catch((error: unknown) => errors.push(error));
    });
    const result = await discord.slash('slow');
    await expect.poll(() => errors.length).toBe(2);
    expect(errors[0]).toMatchObject({ status: 413, code: 40005 });
    expect(errors[1]).toMatchObject({ code: 50035, rawError: { errors: { attachments: { 0: { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } } });
    expect(result.original()?.attachments).toEqual([]);
  });

  it('handles a select menu with deferUpdate + editReply', async () => {
    const menu = new StringSelectMenuBuilder().setCustomId('track').addOptions({ label: 'MLOps', value: 'mlops' }, { label: 'Research', value: 'research' });
    const sent: Message = await textChannel().send({ content: 'Pick a track', components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)] });
    onInteraction(async (interaction) => {
      if (!interaction.isStringSelectMenu()) return;
      await interaction.deferUpdate();
      await interaction.editReply({ content: `Track: ${interaction.values.join(', ')}`, components: [] });
    });
    const result = await discord.selectMenu(sent.id, 'track', ['research']);
    expect(result.type).toBe(6);
    const shown = await result.waitForResponse();
    expect(shown.id).toBe(sent.id);
    expect(discord.getMessage(sent.id)?.message.content).toBe('Track: research');
  });

  it('clicks a button and records the update (type 7)', async () => {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('helpful:yes').setLabel('Helpful').setStyle(ButtonStyle.Success),
      new ButtonBuilder().setCustomId('helpful:no').setLabel('Not helpful').setStyle(ButtonStyle.Secondary),
    );
    const sent = await textChannel().send({ content: 'Was this helpful?', components: [row] });
    onInteraction(async (interaction) => {
      if (!interaction.isButton()) return;
      if (interaction.customId === 'helpful:yes') await interaction.update({ content: 'Thanks!', components: [] });
      else await interaction.reply({ content: 'Sorry to hear that.', flags: MessageFlags.Ephemeral });
    });

    const clicked = await discord.clickButton(sent.id, 'helpful:yes', { user: discord.users.moderator });
    expect(clicked.type).toBe(7);
    expect((clicked.interaction as { message?: { id: string } }).message?.id).toBe(sent.id);
    const updated = discord.getMessage(sent.id);
    expect(updated?.message.content).toBe('Thanks!');
    expect(updated?.message.components).toEqual([]);
    expect(updated?.history[0]?.content).toBe('Was this helpful?');

    const other = await textChannel().send({ content: 'Again?', components: [row] });
    const replied = await discord.clickButton(other, 'helpful:no');
    expect(replied.type).toBe(4);
    expect(replied.ephemeral).toBe(true);
    await expect(discord.clickButton(other, 'missing')).rejects.toThrow(/no component/);
  });
});

describe('channels and messages', () => {
  it('sends to the text channel and starts a thread from the message', async () => {
    const message = await textChannel().send({ content: 'Weekly ML career digest', embeds: [{ title: 'Digest', description: 'Top questions' }] });
    expect(message.author.id).toBe(discord.botUser.id);
    const stored = discord.messagesIn(discord.channel.id).at(-1);
    expect(stored).toMatchObject({ id: message.id, content: 'Weekly ML career digest', embeds: [{ type: 'rich', title: 'Digest' }] });

    const thread = await message.startThread({ name: 'Discuss the digest' });
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(thread.parentId).toBe(discord.channel.id);
    expect(thread.id).toBe(message.id);
    expect(discord.threads(discord.channel.id).map((t) => t.id)).toEqual([thread.id]);
    const inThread = await thread.send('First reply in the thread');
    expect(discord.messagesIn(thread.id).map((m) => m.id)).toEqual([inThread.id]);
  });

  it('surfaces a failNext 403 as a DiscordAPIError and recovers afterwards', async () => {
    const path = `/channels/${discord.channel.id}/messages`;
    discord.failNext({ method: 'POST', path, status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    const attempt = textChannel().send('will fail');
    await expect(attempt).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(attempt).rejects.toMatchObject({ code: 50013, status: 403 });
    const ok = await textChannel().send('works again');
    expect(discord.messagesIn(discord.channel.id).at(-1)?.id).toBe(ok.id);
  });

  it('lets discord.js retry a 429 after Retry-After', async () => {
    const path = `/channels/${discord.channel.id}/messages`;
    const before = discord.requests.length;
    const rule = discord.failNext({ method: 'POST', path, status: 429 });
    const message = await textChannel().send('eventually');
    const attempts = discord.requests.slice(before).filter((r) => r.method === 'POST' && r.path === path);
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(rule.hits).toHaveLength(1);
    expect(discord.messagesIn(discord.channel.id).at(-1)?.id).toBe(message.id);
  });

  it('answers unknown routes with a Discord-style 404 and records them', async () => {
    const attempt = client.rest.get('/definitely/not/a/route');
    await expect(attempt).rejects.toMatchObject({ status: 404, code: 0 });
    expect(discord.unhandledRequests.map((r) => `${r.method} ${r.path}`)).toContain('GET /definitely/not/a/route');
  });

  it('does not deliver user messages without the GuildMessages intent', async () => {
    const { delivered } = await discord.sendUserMessage({ content: 'hello bot' });
    expect(delivered).toBe(0);
  });
});

describe('intents', () => {
  let gated: DiscordDouble;
  const clients: Client[] = [];

  beforeAll(async () => {
    gated = await startDiscordDouble({ privilegedIntents: { messageContent: false } });
  });

  afterAll(async () => {
    try {
      await Promise.all(clients.map((c) => c.destroy()));
    } finally {
      await gated?.close();
    }
  });

  const newClient = (intents: number[]): Client => {
    const c = new Client({ intents, rest: { api: gated.apiUrl } });
    clients.push(c);
    return c;
  };

  it('closes with 4014 when a disabled privileged intent is requested', async () => {
    const c = newClient([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent]);
    await expect(c.login(gated.token)).rejects.toThrow(/disallowed intents/i);
  });

  it('delivers messages per intents, blanks content without MessageContent, echoes bot messages', async () => {
    const c = newClient([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    const seen: Array<{ bot: boolean; content: string }> = [];
    c.on(Events.MessageCreate, (m) => seen.push({ bot: m.author.bot, content: m.content }));
    const ready = once(c, Events.ClientReady);
    await c.login(gated.token);
    await ready;

    expect((await gated.sendUserMessage({ content: 'no intent, no content' })).delivered).toBe(1);
    await gated.sendUserMessage({ content: `<@${gated.botUser.id}> mentioned, so visible` });
    const channel = c.channels.cache.get(gated.channel.id) as TextChannel;
    await channel.send('from the bot');
    await expect.poll(() => seen.length).toBe(3);
    expect(seen).toEqual([
      { bot: false, content: '' },
      { bot: false, content: `<@${gated.botUser.id}> mentioned, so visible` },
      { bot: true, content: 'from the bot' },
    ]);
  });
});

describe('forums and threads', () => {
  const member = createUser({ username: 'asker' });
  const guild = createGuildFixture({
    channels: [
      { name: 'general' },
      { name: 'help-forum', type: ChannelType.GuildForum, tags: ['Answered', 'Solved', { name: 'Staff pick', moderated: true }, 'a', 'b', 'c'] },
    ],
    members: [{ user: member }],
  });
  const forumId = guild.channels[1]!.id;
  let forums: DiscordDouble;
  let bot: Client;
  const events: string[] = [];

  beforeAll(async () => {
    forums = await startDiscordDouble({ guilds: [guild], defaultUser: member });
    bot = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent], rest: { api: forums.apiUrl } });
    bot.on(Events.ThreadCreate, (thread, newlyCreated) => events.push(`thread ${thread.id} in ${String(thread.parentId)}${newlyCreated ? ' (new)' : ''}`));
    bot.on(Events.MessageCreate, (message) => events.push(`message ${message.id} in ${message.channelId}: ${message.content}`));
    const ready = once(bot, Events.ClientReady);
    await bot.login(forums.token);
    await ready;
  }, 15_000);

  afterAll(async () => {
    try {
      await bot?.destroy();
    } finally {
      await forums?.close();
    }
  });

  const cachedPost = (id: string) => bot.channels.cache.get(id) as AnyThreadChannel;

  it('caches a forum with its tags, and refuses a message posted straight to it', async () => {
    const forum = bot.channels.cache.get(forumId) as ForumChannel;
    expect(forum.isThreadOnly()).toBe(true);
    expect(forum.availableTags.map((t) => t.name)).toEqual(['Answered', 'Solved', 'Staff pick', 'a', 'b', 'c']);
    await expect(bot.rest.post(`/channels/${forumId}/messages`, { body: { content: 'hello' } })).rejects.toMatchObject({ code: 50024 });
  });

  it('delivers a new post as THREAD_CREATE, then its starter message, which has the post’s id', async () => {
    events.length = 0;
    const { post, message } = await forums.createForumPost({ forumId, title: 'Which tools?', content: 'I am starting out', tags: ['a'] });
    expect(message.id).toBe(post.id);
    await expect.poll(() => events).toEqual([`thread ${post.id} in ${forumId} (new)`, `message ${post.id} in ${post.id}: I am starting out`]);
    const cached = cachedPost(post.id);
    expect(cached).toMatchObject({ name: 'Which tools?', ownerId: member.id, appliedTags: [guild.channels[1]!.availableTags[3]!.id] });
  });

  it('tags a post the bot did not open only with Manage Threads, with the forum’s tags, at most five, echoed as THREAD_UPDATE', async () => {
    const [answered, solved, staffPick, a, b, c] = guild.channels[1]!.availableTags.map((t) => t.id) as [string, string, string, string, string, string];
    const { post } = await forums.createForumPost({ forumId, title: 'Tag me', content: 'please', tags: [a] });
    await expect.poll(() => bot.channels.cache.has(post.id)).toBe(true);
    await expect(cachedPost(post.id).setAppliedTags([a, answered])).rejects.toMatchObject({ code: 50013 });

    await forums.setPermissionOverwrites(forumId, [{ id: BOT_ROLE, type: 'role', allow: PermissionFlagsBits.ManageThreads }]);
    await expect.poll(() => (bot.channels.cache.get(forumId) as ForumChannel).permissionsFor(bot.user!)?.has(PermissionFlagsBits.ManageThreads)).toBe(true);
    await expect(cachedPost(post.id).setAppliedTags([a, '123456789012345678'])).rejects.toMatchObject({ code: 50035 });
    await expect(cachedPost(post.id).setAppliedTags([a, b, c, answered, solved, staffPick])).rejects.toMatchObject({ code: 50035 });
    await cachedPost(post.id).setAppliedTags([a, answered, staffPick]);
    expect(forums.getChannel(post.id)).toMatchObject({ applied_tags: [a, answered, staffPick] });
    const updates = () => forums.gateway.sessions.flatMap((session) => session.log).filter((payload) => payload.t === 'THREAD_UPDATE');
    await expect.poll(() => updates().length).toBe(1);
  });

  it('delivers a member’s thread under a text channel, and messages in it', async () => {
    events.length = 0;
    const thread = await forums.startUserThread({ channelId: forums.channel.id, name: 'study group' });
    const { message } = await forums.sendUserMessage({ channelId: thread.id, content: 'anyone around?' });
    await expect.poll(() => events).toEqual([`thread ${thread.id} in ${forums.channel.id} (new)`, `message ${message.id} in ${thread.id}: anyone around?`]);
    expect(cachedPost(thread.id).ownerId).toBe(member.id);
  });
});
