import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { defineCommand } from '../src/bot/command.js';
import { BRAND_COLOUR } from '../src/bot/reply.js';

export const help = defineCommand({
  definition: new SlashCommandBuilder().setName('help').setDescription('What this bot does and its commands').toJSON(),
  options: z.object({}),
  ephemeral: () => true,
  handle(_input, { commands }) {
    const lines = commands.map((c) => `**/${c.definition.name}**: ${c.definition.description}${c.moderatorOnly ? ' *(Manage Server)*' : ''}`);
    return {
      ephemeral: true,
      embeds: [
        {
          color: BRAND_COLOUR,
          title: 'ML career questions, answered',
          description:
            'I answer questions about machine-learning careers (roles, skills, tools, education, salaries, paths in) ' +
            'from this server’s knowledge base, always with my sources. When something is not covered, I say so ' +
            'instead of guessing.\n\n' +
            lines.join('\n'),
          footer: { text: 'Try: /ask question: ML engineer vs data scientist?' },
        },
      ],
    };
  },
});
