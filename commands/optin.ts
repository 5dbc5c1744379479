import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { defineCommand } from '../src/bot/command.js';
import { ephemeralText } from '../src/bot/reply.js';

export const optin = defineCommand({
  definition: new SlashCommandBuilder()
    .setName('optin')
    .setDescription('Let the bot answer your questions in watched channels again')
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  options: z.object({}),
  ephemeral: () => true,
  handle({ invoker }, { store }) {
    if (!invoker.guildId) return ephemeralText('Use this command in a server.');
    store.setOptedOut(invoker.guildId, store.memberHash(invoker.userId), false);
    return ephemeralText('Welcome back: I will answer your questions in the watched channels again.');
  },
});
