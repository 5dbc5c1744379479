import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { citeSource } from '../src/knowledge/citation.js';
import { defineCommand } from '../src/bot/command.js';
import { BRAND_COLOUR } from '../src/bot/reply.js';

/** Sources a page lists: short enough to read, and well inside an embed's 4,096 characters. */
const SOURCES_PER_PAGE = 10;

export const sources = defineCommand({
  definition: new SlashCommandBuilder()
    .setName('sources')
    .setDescription('What the knowledge base was written from, and its size')
    .addIntegerOption((o) => o.setName('page').setDescription('Which page of the list (10 sources a page)').setMinValue(1))
    .toJSON(),
  options: z.object({ page: z.number().int().min(1).default(1) }),
  ephemeral: () => true,
  handle({ options }, { engine }) {
    const { documents, passages, tips } = engine.knowledge;
    const pages = Math.max(1, Math.ceil(engine.sources.length / SOURCES_PER_PAGE));
    const page = Math.min(options.page, pages);
    const listed = engine.sources.slice((page - 1) * SOURCES_PER_PAGE, page * SOURCES_PER_PAGE);
    return {
      ephemeral: true,
      embeds: [
        {
          color: BRAND_COLOUR,
          title: 'Where my answers come from',
          description:
            `The knowledge base was written, in its own words, from **${engine.sources.length}** sources; every answer cites the ones ` +
            `its passages drew on. It holds **${documents.length}** documents split into **${passages.length}** passages, and **${tips.length}** tips.\n\n` +
            listed.map((source) => `• ${source.url ? `[${citeSource(source)}](${source.url})` : citeSource(source)}`).join('\n'),
          ...(pages > 1 ? { footer: { text: `Page ${page} of ${pages}: /sources page:${page === pages ? 1 : page + 1} for ${page === pages ? 'the first' : 'the next'}` } } : {}),
        },
      ],
    };
  },
});
