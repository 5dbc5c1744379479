import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { sourceDate } from '../src/knowledge/citation.js';
import { defineCommand } from '../src/bot/command.js';
import { BRAND_COLOUR } from '../src/bot/reply.js';

export const sources = defineCommand({
  definition: new SlashCommandBuilder().setName('sources').setDescription('The articles the knowledge base was written from, and its size').toJSON(),
  options: z.object({}),
  ephemeral: () => true,
  handle(_input, { engine }) {
    const { documents, passages, tips } = engine.knowledge;
    return {
      ephemeral: true,
      embeds: [
        {
          color: BRAND_COLOUR,
          title: 'Where my answers come from',
          description:
            `The knowledge base was written, in its own words, from these articles. It holds ` +
            `**${documents.length}** documents split into **${passages.length}** passages, and **${tips.length}** tips.`,
          fields: engine.sources.map((source) => ({
            name: source.subtitle ? `${source.title}: ${source.subtitle}` : source.title,
            value: `${source.author ? `by ${source.author}` : `published by ${source.publisher}`}, ${sourceDate(source)}${source.url ? `\n${source.url}` : ''}`,
          })),
        },
      ],
    };
  },
});
