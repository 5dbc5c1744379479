import type { APIEmbed } from 'discord.js';
import type { Engine } from '../answering/engine.js';
import type { Tip } from '../knowledge/schema.js';
import { BRAND_COLOUR } from './reply.js';

/** A tip as posted by /tip and the daily post: the tip, its source, and where to ask more. */
export function tipEmbed(tip: Tip, engine: Engine, title = 'ML career tip'): APIEmbed {
  return {
    color: BRAND_COLOUR,
    title,
    description: tip.text,
    fields: [{ name: 'Source', value: engine.cite([tip.source]) || tip.source }],
    footer: { text: 'Questions? Ask me with /ask' },
  };
}
