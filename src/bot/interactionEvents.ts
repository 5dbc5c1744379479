import { setTimeout as delay } from 'node:timers/promises';
import {
  ApplicationCommandOptionType,
  ComponentType,
  MessageFlags,
  PermissionFlagsBits,
  TextInputStyle,
  type APIModalInteractionResponseCallbackData,
  type BaseInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type MessageComponentInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Logger } from '../logger.js';
import { ANSWER_BUTTON_PREFIX } from './answerButtons.js';
import type { Invoker } from './command.js';
import { grantedPermissions } from './discordAccess.js';
import { errorReply, newErrorId, type CommandRequest, type ComponentRequest, type Dispatcher } from './dispatch.js';
import { addTagToPost } from './forumTags.js';
import { ephemeralText, messageFields, NO_MENTIONS, type Modal, type Reply } from './reply.js';

/** Discord allows 3 seconds from an interaction's creation for the first response: an answer not ready by 2 is deferred. */
export const DEFER_AFTER_MS = 2000;

/**
 * An interaction already this old when the bot gets to it (queued behind a burst, delivered late) is
 * acknowledged before it is worked on. Only those are: an answer after a deferral is an edit, and discord.js
 * sends edits with every other bot request, 50 a second, where a direct reply goes out at once.
 */
export const ACKNOWLEDGE_FIRST_AFTER_MS = 1000;

interface Timing {
  deferAfterMs: number;
  acknowledgeFirstAfterMs: number;
}

export function replyPayload(reply: Reply): InteractionReplyOptions {
  return { ...messageFields(reply), ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

/** Editing a deferred reply: its visibility was fixed when it was deferred. */
export function editPayload(reply: Reply): InteractionEditReplyOptions {
  const message = asMessage(reply);
  return { ...messageFields(message), content: message.content ?? null };
}

/** A form as Discord takes it: each text field in a label. */
export function modalPayload(modal: Modal): APIModalInteractionResponseCallbackData {
  return {
    custom_id: modal.customId,
    title: modal.title,
    components: modal.fields.map((field) => ({
      type: ComponentType.Label,
      label: field.label,
      ...(field.description ? { description: field.description } : {}),
      component: {
        type: ComponentType.TextInput,
        custom_id: field.id,
        style: field.style === 'short' ? TextInputStyle.Short : TextInputStyle.Paragraph,
        required: field.required,
        max_length: field.maxLength,
        ...(field.value ? { value: field.value } : {}),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
      },
    })),
  };
}

/** A form can only be a first answer: where one can no longer be shown, the member is told to start again. */
function asMessage(reply: Reply): Reply {
  return reply.modal ? ephemeralText('That form took too long to open, so Discord would not show it: try again.') : reply;
}

export function invokerOf(interaction: BaseInteraction): Invoker {
  return {
    userId: interaction.user.id,
    username: interaction.user.username,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    canManageServer: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
}

/** Flattens subcommand groups and subcommands: `{ subcommand: "tips set", channel: "123", time: "09:00" }`. */
export function commandRequest(interaction: ChatInputCommandInteraction): CommandRequest {
  const { path, options } = flattenOptions(interaction.options.data);
  return { name: interaction.commandName, ...(path.length ? { subcommand: path.join(' ') } : {}), options, invoker: invokerOf(interaction) };
}

/** The subcommand path, and the options' values by name. */
function flattenOptions(data: readonly CommandInteractionOption[]): { path: string[]; options: CommandRequest['options'] } {
  const path: string[] = [];
  const options: CommandRequest['options'] = {};
  const visit = (option: CommandInteractionOption) => {
    if (option.type === ApplicationCommandOptionType.SubcommandGroup || option.type === ApplicationCommandOptionType.Subcommand) {
      path.push(option.name);
      option.options?.forEach(visit);
    } else if (option.attachment) {
      options[option.name] = { name: option.attachment.name, url: option.attachment.url, size: option.attachment.size };
    } else if (option.value !== undefined) {
      options[option.name] = option.value;
    }
  };
  data.forEach(visit);
  return { path, options };
}

/** A command's button, select menu or submitted form, reduced to plain data. */
export function componentRequest(interaction: MessageComponentInteraction | ModalSubmitInteraction): ComponentRequest {
  const fields: Record<string, string> = {};
  if (interaction.isModalSubmit()) {
    for (const [id, field] of interaction.fields.fields) if (field.type === ComponentType.TextInput) fields[id] = field.value;
  }
  return {
    customId: interaction.customId,
    values: interaction.isStringSelectMenu() ? [...interaction.values] : [],
    fields,
    invoker: invokerOf(interaction),
  };
}

/**
 * The thin layer between discord.js and the dispatcher: reads interactions into plain requests, sends
 * plain replies back, defers slow and late ones, and reports a failure to send with an error id.
 */
export function createInteractionHandler(dispatcher: Dispatcher, logger: Logger, options: Partial<Timing> = {}): (interaction: Interaction) => Promise<void> {
  const timing: Timing = {
    deferAfterMs: options.deferAfterMs ?? DEFER_AFTER_MS,
    acknowledgeFirstAfterMs: options.acknowledgeFirstAfterMs ?? ACKNOWLEDGE_FIRST_AFTER_MS,
  };
  return async (interaction) => {
    try {
      if (interaction.isAutocomplete()) {
        const focused = interaction.options.getFocused(true);
        const { options } = flattenOptions(interaction.options.data);
        await interaction.respond(await dispatcher.autocomplete(interaction.commandName, { name: focused.name, value: String(focused.value) }, invokerOf(interaction), options));
      } else if (interaction.isChatInputCommand()) {
        const request = commandRequest(interaction);
        const opensModal = dispatcher.opensModal(request);
        await respond(interaction, () => dispatcher.run(request), timing, { ephemeral: () => dispatcher.isEphemeral(request), acknowledgeFirst: !opensModal });
      } else if (interaction.isButton() && interaction.customId.startsWith(ANSWER_BUTTON_PREFIX)) {
        await answerButton(interaction, dispatcher, logger);
      } else if (interaction.isMessageComponent() || interaction.isModalSubmit()) {
        // A button may open a form: it is answered first, never acknowledged first.
        const request = componentRequest(interaction);
        await respond(interaction, () => dispatcher.component(request), timing, { ephemeral: () => true, acknowledgeFirst: false });
      }
    } catch (error) {
      const errorId = newErrorId();
      logger.error({ err: error, errorId, interaction: interaction.id }, 'could not answer an interaction');
      if (!interaction.isRepliable()) return;
      const payload = replyPayload(errorReply(errorId));
      try {
        if (interaction.replied || interaction.deferred) await interaction.followUp(payload);
        else await interaction.reply(payload);
      } catch (sendError) {
        logger.error({ err: sendError, errorId }, 'could not send the error reply either');
      }
    }
  };
}

/**
 * Sends the reply when it is ready within the deadline (a form too, where Discord allows one), and otherwise
 * acknowledges first and edits it in. `acknowledgeFirst`: a late interaction is acknowledged before it is
 * worked on.
 */
async function respond(
  interaction: ChatInputCommandInteraction | MessageComponentInteraction | ModalSubmitInteraction,
  run: () => Promise<Reply>,
  timing: Timing,
  how: { ephemeral: () => boolean; acknowledgeFirst: boolean },
): Promise<void> {
  // By Discord's clock, which starts the deadline; a bot clock running behind must not postpone deferring.
  const age = Math.max(0, Date.now() - interaction.createdTimestamp);
  let pending: Promise<Reply> | undefined;
  if (!how.acknowledgeFirst || age < timing.acknowledgeFirstAfterMs) {
    pending = run();
    const ready = await readyWithin(pending, timing.deferAfterMs - age);
    if (ready?.modal && !interaction.isModalSubmit()) {
      await interaction.showModal(modalPayload(ready.modal));
      return;
    }
    if (ready) {
      await interaction.reply(replyPayload(asMessage(ready)));
      return;
    }
  }
  await interaction.deferReply(how.ephemeral() ? { flags: MessageFlags.Ephemeral } : {});
  // A late interaction is worked on once its acknowledgement is on its way, not before.
  await interaction.editReply(editPayload(await (pending ?? run())));
}

/** The reply if it is ready within `ms`. */
async function readyWithin(pending: Promise<Reply>, ms: number): Promise<Reply | undefined> {
  const timer = new AbortController();
  const slow = delay(ms, undefined, { signal: timer.signal }).catch(() => undefined);
  try {
    return await Promise.race([pending, slow]);
  } finally {
    timer.abort();
  }
}

async function answerButton(interaction: ButtonInteraction, dispatcher: Dispatcher, logger: Logger): Promise<void> {
  const permissions = interaction.memberPermissions;
  const { channel } = interaction;
  const post = channel?.isThread() && channel.parent?.isThreadOnly() ? channel : undefined;
  const outcome = await dispatcher.button({
    customId: interaction.customId,
    messageId: interaction.message.id,
    invoker: invokerOf(interaction),
    canModerate: (permissions?.has(PermissionFlagsBits.ManageMessages) || permissions?.has(PermissionFlagsBits.ManageGuild)) ?? false,
    forumId: post?.parentId ?? null,
    granted: grantedPermissions(interaction.appPermissions),
  });
  if (outcome.kind === 'update') {
    await interaction.update({ components: outcome.components, allowedMentions: NO_MENTIONS });
    if (outcome.tagId && post) await addTagToPost(post, outcome.tagId, logger);
    return;
  }
  await interaction.reply(replyPayload(outcome.reply));
  if (outcome.kind === 'delete') await interaction.message.delete();
}
