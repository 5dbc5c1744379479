import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { defineCommand } from './command.js';
import { ephemeralText } from './reply.js';

/** /optout and /optin: the same switch, each way. */
export function optOutCommand(spec: { name: string; description: string; optedOut: boolean; confirmation: string }) {
  return defineCommand({
    definition: new SlashCommandBuilder().setName(spec.name).setDescription(spec.description).setContexts(InteractionContextType.Guild).toJSON(),
    options: z.object({}),
    ephemeral: () => true,
    async handle({ invoker }, { store }) {
      if (!invoker.guildId) return ephemeralText('Use this command in a server.');
      await store.setOptedOut(invoker.guildId, store.memberHash(invoker.userId), spec.optedOut);
      return ephemeralText(spec.confirmation);
    },
  });
}
