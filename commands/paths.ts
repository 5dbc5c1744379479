import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { truncateAtSentence } from '../src/answering/truncate.js';
import { defineCommand } from '../src/bot/command.js';
import { BRAND_COLOUR, DISCORD_LIMITS, ephemeralText } from '../src/bot/reply.js';

export const CAREER_PATHS_TOPIC = 'career-paths';

export const paths = defineCommand({
  definition: new SlashCommandBuilder()
    .setName('paths')
    .setDescription('The ways into an ML engineering career')
    .addBooleanOption((o) => o.setName('public').setDescription('Show it to the whole channel (default: only you)'))
    .toJSON(),
  options: z.object({ public: z.boolean().default(false) }),
  rateLimited: true,
  ephemeral: (options) => !options.public,
  handle({ options }, { engine }) {
    const [first, ...rest] = engine.passagesByTopic(CAREER_PATHS_TOPIC);
    if (!first) return ephemeralText('The knowledge base has no career-path documents yet.');
    const sourceIds = [...new Set([first, ...rest].flatMap((p) => p.sourceIds))];
    return {
      ephemeral: !options.public,
      embeds: [
        {
          color: BRAND_COLOUR,
          title: first.title,
          description: first.text,
          fields: [
            ...rest.slice(0, 8).map((p) => ({ name: p.heading || p.title, value: truncateAtSentence(p.text, 500) })),
            { name: 'Sources', value: truncateAtSentence(engine.cite(sourceIds).split('; ').map((s) => `• ${s}`).join('\n'), DISCORD_LIMITS.fieldValue) },
          ],
          footer: { text: 'More on any of these with /ask' },
        },
      ],
    };
  },
});
