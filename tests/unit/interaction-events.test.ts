import type { Interaction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { CommandRequest, ComponentRequest, Dispatcher } from '../../src/bot/dispatch.js';
import { createInteractionHandler } from '../../src/bot/interactionEvents.js';
import type { Reply } from '../../src/bot/reply.js';
import { capturingLogger } from '../support/commandContext.js';

/** The part of a discord.js chat-input interaction the glue uses, recording what the bot sent. */
function fakeCommandInteraction(ageMs = 0, overrides: Record<string, unknown> = {}) {
  const calls: { method: string; payload?: unknown }[] = [];
  const interaction = {
    id: '1',
    createdTimestamp: Date.now() - ageMs,
    commandName: 'ask',
    user: { id: '111111111111111111', username: 'learner' },
    guildId: '222222222222222222',
    channelId: '333333333333333333',
    memberPermissions: { has: () => false },
    options: { data: [{ name: 'question', type: 3, value: 'what is data drift' }] },
    replied: false,
    deferred: false,
    isAutocomplete: () => false,
    isChatInputCommand: () => true,
    isButton: () => false,
    isMessageComponent: () => false,
    isModalSubmit: () => false,
    isStringSelectMenu: () => false,
    isRepliable: () => true,
    async reply(payload: unknown) {
      calls.push({ method: 'reply', payload });
      interaction.replied = true;
    },
    async deferReply(payload: unknown) {
      calls.push({ method: 'deferReply', payload });
      interaction.deferred = true;
    },
    async editReply(payload: unknown) {
      calls.push({ method: 'editReply', payload });
    },
    async followUp(payload: unknown) {
      calls.push({ method: 'followUp', payload });
    },
    async showModal(payload: unknown) {
      calls.push({ method: 'showModal', payload });
    },
    ...overrides,
  };
  return { interaction: interaction as unknown as Interaction, calls };
}

/** A press on a select menu, or the submission of a form, as discord.js hands it over. */
function fakeComponentInteraction(kind: 'select' | 'modal') {
  return fakeCommandInteraction(0, {
    customId: kind === 'select' ? 'kb:teach' : 'kb:add',
    isChatInputCommand: () => false,
    isMessageComponent: () => kind === 'select',
    isStringSelectMenu: () => kind === 'select',
    isModalSubmit: () => kind === 'modal',
    values: ['0123456789abcdef'],
    fields: { fields: new Map([['title', { type: 4, customId: 'title', value: 'Study group' }], ['answer', { type: 4, customId: 'answer', value: 'Thursdays.' }]]) },
  });
}

function dispatcherAnswering(reply: Reply, afterMs: number, seen: (CommandRequest | ComponentRequest)[] = [], calls?: { method: string }[]): Dispatcher {
  return {
    find: () => undefined,
    autocomplete: async () => [],
    button: async () => ({ kind: 'reply', reply }),
    isEphemeral: () => reply.ephemeral,
    opensModal: () => reply.modal !== undefined,
    component: async (request) => {
      seen.push(request);
      return reply;
    },
    run: async (request) => {
      seen.push(request);
      calls?.push({ method: 'run' });
      await new Promise((resolve) => setTimeout(resolve, afterMs));
      return reply;
    },
  };
}

const ANSWER: Reply = { content: 'An answer', ephemeral: true };

describe('answering an interaction', () => {
  it('replies at once when the answer is ready, mentioning nobody, from plain typed input', async () => {
    const { interaction, calls } = fakeCommandInteraction();
    const seen: CommandRequest[] = [];
    await createInteractionHandler(dispatcherAnswering(ANSWER, 0, seen), capturingLogger().logger, { deferAfterMs: 200 })(interaction);
    expect(seen[0]).toMatchObject({ name: 'ask', options: { question: 'what is data drift' }, invoker: { userId: '111111111111111111', canManageServer: false } });
    expect(calls).toEqual([{ method: 'reply', payload: expect.objectContaining({ content: 'An answer', flags: 64, allowedMentions: { parse: [], repliedUser: false } }) }]);
  });

  it('defers a slow answer within the deadline, then edits it in', async () => {
    const { interaction, calls } = fakeCommandInteraction();
    await createInteractionHandler(dispatcherAnswering(ANSWER, 120, []), capturingLogger().logger, { deferAfterMs: 20 })(interaction);
    expect(calls.map((c) => c.method)).toEqual(['deferReply', 'editReply']);
    expect(calls[0]!.payload).toEqual({ flags: 64 });
    expect(calls[1]!.payload).toMatchObject({ content: 'An answer', allowedMentions: { parse: [] } });
  });

  it('acknowledges an interaction that arrives late before working on it, then edits the answer in', async () => {
    const { interaction, calls } = fakeCommandInteraction(1500);
    await createInteractionHandler(dispatcherAnswering(ANSWER, 0, [], calls), capturingLogger().logger, { deferAfterMs: 200, acknowledgeFirstAfterMs: 1000 })(interaction);
    expect(calls.map((c) => c.method)).toEqual(['deferReply', 'run', 'editReply']);
    expect(calls[2]!.payload).toMatchObject({ content: 'An answer', allowedMentions: { parse: [] } });
  });

  it('counts the time to defer from the interaction’s creation, not from its arrival', async () => {
    const { interaction, calls } = fakeCommandInteraction(900);
    await createInteractionHandler(dispatcherAnswering(ANSWER, 300), capturingLogger().logger, { deferAfterMs: 1000, acknowledgeFirstAfterMs: 1000 })(interaction);
    expect(calls.map((c) => c.method)).toEqual(['deferReply', 'editReply']);
  });

  it('sends a reply’s files with it, each with its alt text, whether the reply goes at once or after deferring', async () => {
    const withChart: Reply = { ...ANSWER, files: [{ name: 'chart.png', data: Uint8Array.of(1, 2, 3), description: 'Chart: no questions yet.' }] };
    const sent = { attachment: Buffer.from([1, 2, 3]), name: 'chart.png', description: 'Chart: no questions yet.' };
    const direct = fakeCommandInteraction();
    await createInteractionHandler(dispatcherAnswering(withChart, 0), capturingLogger().logger, { deferAfterMs: 200 })(direct.interaction);
    expect(direct.calls[0]!.payload).toMatchObject({ files: [sent], allowedMentions: { parse: [] } });
    const deferred = fakeCommandInteraction();
    await createInteractionHandler(dispatcherAnswering(withChart, 120), capturingLogger().logger, { deferAfterMs: 20 })(deferred.interaction);
    expect(deferred.calls[1]).toEqual({ method: 'editReply', payload: expect.objectContaining({ files: [sent], allowedMentions: { parse: [], repliedUser: false } }) });
  });

  it('answers with an error id when sending fails, and logs it', async () => {
    const { interaction, calls } = fakeCommandInteraction();
    const failing = interaction as unknown as { reply: (payload: unknown) => Promise<void> };
    const original = failing.reply;
    failing.reply = async () => {
      failing.reply = original;
      throw new Error('Discord said no');
    };
    const { logger, lines } = capturingLogger();
    await createInteractionHandler(dispatcherAnswering(ANSWER, 0), logger, { deferAfterMs: 200 })(interaction);
    const errorId = /`([0-9a-f]{8})`/.exec(JSON.stringify(calls[0]!.payload))![1];
    expect(lines().find((line) => line.errorId === errorId)).toMatchObject({ err: { message: 'Discord said no' } });
  });
});

const FORM: Reply = {
  ephemeral: true,
  modal: { customId: 'kb:add', title: 'New FAQ entry', fields: [{ id: 'title', label: 'Title', description: 'What it answers', style: 'short', required: true, maxLength: 100, value: 'Old title' }] },
};

describe('forms, components and uploads', () => {
  it('opens a form as the first answer, each field in a label', async () => {
    const { interaction, calls } = fakeCommandInteraction();
    await createInteractionHandler(dispatcherAnswering(FORM, 0), capturingLogger().logger)(interaction);
    expect(calls).toEqual([
      {
        method: 'showModal',
        payload: {
          custom_id: 'kb:add',
          title: 'New FAQ entry',
          components: [{ type: 18, label: 'Title', description: 'What it answers', component: { type: 4, custom_id: 'title', style: 1, required: true, max_length: 100, value: 'Old title' } }],
        },
      },
    ]);
  });

  it('does not acknowledge a late command first when it opens a form, which cannot follow an acknowledgement', async () => {
    const { interaction, calls } = fakeCommandInteraction(1500);
    await createInteractionHandler(dispatcherAnswering(FORM, 0), capturingLogger().logger, { acknowledgeFirstAfterMs: 1000 })(interaction);
    expect(calls.map((c) => c.method)).toEqual(['showModal']);
  });

  it('tells the member to try again when a form was ready too late to be shown', async () => {
    const { interaction, calls } = fakeCommandInteraction();
    await createInteractionHandler(dispatcherAnswering(FORM, 60), capturingLogger().logger, { deferAfterMs: 10 })(interaction);
    expect(calls.map((c) => c.method)).toEqual(['deferReply', 'editReply']);
    expect(calls[1]!.payload).toMatchObject({ content: expect.stringContaining('try again') });
  });

  it('reads a select menu and a submitted form into plain requests, and answers privately', async () => {
    for (const kind of ['select', 'modal'] as const) {
      const { interaction, calls } = fakeComponentInteraction(kind);
      const seen: (CommandRequest | ComponentRequest)[] = [];
      await createInteractionHandler(dispatcherAnswering(ANSWER, 0, seen), capturingLogger().logger)(interaction);
      expect(seen[0]).toEqual({
        customId: kind === 'select' ? 'kb:teach' : 'kb:add',
        values: kind === 'select' ? ['0123456789abcdef'] : [],
        fields: kind === 'modal' ? { title: 'Study group', answer: 'Thursdays.' } : {},
        invoker: expect.objectContaining({ userId: '111111111111111111', guildId: '222222222222222222' }),
      });
      expect(calls).toEqual([{ method: 'reply', payload: expect.objectContaining({ content: 'An answer', flags: 64 }) }]);
    }
  });

  it('reads an uploaded file as its name, address and size, and sends files with a reply', async () => {
    const attachment = { name: 'faq.md', url: 'https://cdn.example/faq.md', size: 120 };
    const { interaction, calls } = fakeCommandInteraction(0, { options: { data: [{ name: 'import', type: 1, options: [{ name: 'file', type: 11, value: '9', attachment }] }] } });
    const seen: (CommandRequest | ComponentRequest)[] = [];
    const withFile: Reply = { ephemeral: true, content: 'Here', files: [{ name: 'server-faq.md', data: Buffer.from('# FAQ') }] };
    await createInteractionHandler(dispatcherAnswering(withFile, 0, seen), capturingLogger().logger)(interaction);
    expect(seen[0]).toMatchObject({ subcommand: 'import', options: { file: attachment } });
    expect(calls[0]!.payload).toMatchObject({ files: [{ attachment: Buffer.from('# FAQ'), name: 'server-faq.md' }] });
  });
});
