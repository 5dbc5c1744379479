import { setTimeout as delay } from 'node:timers/promises';
import {
  ApplicationCommandOptionType,
  MessageFlags,
  PermissionFlagsBits,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
} from 'discord.js';
import type { Logger } from '../logger.js';
import { ANSWER_BUTTON_PREFIX } from './answerButtons.js';
import type { Invoker } from './command.js';
import { errorReply, newErrorId, type CommandRequest, type Dispatcher } from './dispatch.js';
import { messageFields, NO_MENTIONS, type Reply } from './reply.js';

/** Discord allows 3 seconds for the first response; past this, acknowledge first and answer after. */
export const DEFER_AFTER_MS = 2000;

export function replyPayload(reply: Reply): InteractionReplyOptions {
  return { ...messageFields(reply), ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

/** Editing a deferred reply: its visibility was fixed when it was deferred. */
export function editPayload(reply: Reply): InteractionEditReplyOptions {
  return { ...messageFields(reply), content: reply.content ?? null };
}

export function invokerOf(interaction: Interaction): Invoker {
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
  const path: string[] = [];
  const options: CommandRequest['options'] = {};
  const visit = (option: CommandInteractionOption) => {
    if (option.type === ApplicationCommandOptionType.SubcommandGroup || option.type === ApplicationCommandOptionType.Subcommand) {
      path.push(option.name);
      option.options?.forEach(visit);
    } else if (option.value !== undefined) {
      options[option.name] = option.value;
    }
  };
  interaction.options.data.forEach(visit);
  return { name: interaction.commandName, ...(path.length ? { subcommand: path.join(' ') } : {}), options, invoker: invokerOf(interaction) };
}

/**
 * The thin layer between discord.js and the dispatcher: reads interactions into plain requests, sends
 * plain replies back, defers slow ones, and reports a failure to send with an error id.
 */
export function createInteractionHandler(
  dispatcher: Dispatcher,
  logger: Logger,
  options: { deferAfterMs?: number } = {},
): (interaction: Interaction) => Promise<void> {
  const deferAfterMs = options.deferAfterMs ?? DEFER_AFTER_MS;
  return async (interaction) => {
    try {
      if (interaction.isAutocomplete()) {
        const focused = interaction.options.getFocused(true);
        await interaction.respond(dispatcher.autocomplete(interaction.commandName, { name: focused.name, value: String(focused.value) }));
      } else if (interaction.isChatInputCommand()) {
        await answerCommand(interaction, dispatcher, deferAfterMs);
      } else if (interaction.isButton() && interaction.customId.startsWith(ANSWER_BUTTON_PREFIX)) {
        await answerButton(interaction, dispatcher);
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

async function answerCommand(interaction: ChatInputCommandInteraction, dispatcher: Dispatcher, deferAfterMs: number): Promise<void> {
  const request = commandRequest(interaction);
  const pending = dispatcher.run(request);
  const timer = new AbortController();
  const slow = delay(deferAfterMs, 'slow' as const, { signal: timer.signal }).catch(() => 'cancelled' as const);
  const first = await Promise.race([pending, slow]);
  timer.abort();
  if (first !== 'slow' && first !== 'cancelled') {
    await interaction.reply(replyPayload(first));
    return;
  }
  await interaction.deferReply(dispatcher.isEphemeral(request) ? { flags: MessageFlags.Ephemeral } : {});
  await interaction.editReply(editPayload(await pending));
}

async function answerButton(interaction: ButtonInteraction, dispatcher: Dispatcher): Promise<void> {
  const permissions = interaction.memberPermissions;
  const outcome = dispatcher.button({
    customId: interaction.customId,
    messageId: interaction.message.id,
    invoker: invokerOf(interaction),
    canModerate: (permissions?.has(PermissionFlagsBits.ManageMessages) || permissions?.has(PermissionFlagsBits.ManageGuild)) ?? false,
  });
  if (outcome.kind === 'update') {
    await interaction.update({ components: outcome.components, allowedMentions: NO_MENTIONS });
    return;
  }
  await interaction.reply(replyPayload(outcome.reply));
  if (outcome.kind === 'delete') await interaction.message.delete();
}
