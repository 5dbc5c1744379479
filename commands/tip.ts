import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { defineCommand } from '../src/bot/command.js';
import { ephemeralText } from '../src/bot/reply.js';
import { tipEmbed } from '../src/bot/tipEmbed.js';

export const tip = defineCommand({
  definition: new SlashCommandBuilder()
    .setName('tip')
    .setDescription('A short, practical tip for your ML career, right now')
    .addBooleanOption((o) => o.setName('public').setDescription('Share it with the whole channel (default: only you)'))
    .toJSON(),
  options: z.object({ public: z.boolean().default(false) }),
  rateLimited: true,
  ephemeral: (options) => !options.public,
  handle({ options }, { engine, random }) {
    const chosen = engine.tips[Math.floor(random() * engine.tips.length)];
    if (!chosen) return ephemeralText('The knowledge base has no tips yet.');
    return { ephemeral: !options.public, embeds: [tipEmbed(chosen, engine)] };
  },
});
