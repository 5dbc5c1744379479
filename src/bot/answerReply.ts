import type { APIEmbed } from 'discord.js';
import type { Answer } from '../answering/engine.js';
import { cutToLength } from '../text/cut.js';
import { BRAND_COLOUR, DISCORD_LIMITS, WARNING_COLOUR, type Reply } from './reply.js';

/**
 * An engine answer as an embed: the best passage as the description, further passages as fields, the sources,
 * and (in the footer) what it matched. A decline says so plainly and lists the nearby topics.
 */
export function answerEmbed(answer: Answer): APIEmbed {
  const asked = answer.question ? { author: { name: `“${answer.question}”` } } : {};
  if (!answer.answered) {
    const nearby = answer.suggestions.length
      ? `\n\n**Nearby topics you could ask about:**\n${answer.suggestions.map((s) => `• ${s}`).join('\n')}`
      : '';
    return {
      ...asked,
      color: WARNING_COLOUR,
      title: 'Not covered in the knowledge base',
      description: `I could not find a good answer to that, so I would rather not guess.${nearby}`,
      footer: { text: 'Try rephrasing with the role or skill you mean, or see /help for what I cover.' },
    };
  }
  const [best, ...more] = answer.passages;
  const sources = [...new Set(answer.passages.flatMap((p) => p.source.split('; ')))];
  const matched = answer.matchedTerms.length ? `Matched: ${answer.matchedTerms.join(', ')} · ` : '';
  const readAs = answer.corrections.length ? `Read as: ${answer.corrections.map((c) => `${c.typed} → ${c.corrected}`).join(', ')} · ` : '';
  return {
    ...asked,
    color: BRAND_COLOUR,
    title: best!.title,
    description: best!.text,
    fields: [
      ...more.map((p) => ({ name: p.title, value: p.text })),
      { name: sources.length > 1 ? 'Sources' : 'Source', value: cutToLength(sources.map((s) => `• ${s}`).join('\n'), DISCORD_LIMITS.fieldValue) },
    ],
    footer: { text: `${readAs}${matched}confidence ${Math.round(answer.confidence * 100)} %` },
  };
}

export function answerReply(answer: Answer, ephemeral: boolean): Reply {
  return { embeds: [answerEmbed(answer)], ephemeral };
}
