import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { defineCommand } from '../src/bot/command.js';
import { ephemeralText } from '../src/bot/reply.js';

export const optout = defineCommand({
  definition: new SlashCommandBuilder()
    .setName('optout')
    .setDescription('Stop the bot answering your messages in this server unasked (slash commands still work)')
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  options: z.object({}),
  ephemeral: () => true,
  handle({ invoker }, { store }) {
    if (!invoker.guildId) return ephemeralText('Use this command in a server.');
    store.setOptedOut(invoker.guildId, store.memberHash(invoker.userId), true);
    return ephemeralText('Done: I will not answer your messages in this server unless you ask me with a command. `/optin` undoes it.');
  },
});
