import type { APIEmbed } from 'discord.js';
import type { Answer } from '../answering/engine.js';
import { sourcesText } from '../answering/replyText.js';
import { BRAND_COLOUR, DISCORD_LIMITS, WARNING_COLOUR, type Reply } from './reply.js';

/**
 * How sure the bot is, in words a member reads: chosen from the answer model's calibrated probability (an
 * answer said with "I'm confident" was right about nine times in ten on held-out questions).
 */
export function confidenceWords(confidence: number): string {
  if (confidence >= 0.85) return "I'm confident this answers it.";
  if (confidence >= 0.7) return 'This should answer it.';
  return 'This may help.';
}

export interface AnswerReplyOptions {
  /** Show the matched and unmatched words and the probability, for the curious and for tuning the knowledge base. */
  explain?: boolean;
}

/**
 * An engine answer as an embed: the best passage as the description, what further passages add as fields,
 * each passage's sources (linked where they have a URL), and how sure the bot is in words. A decline says so
 * plainly and lists the nearby topics.
 */
export function answerEmbed(answer: Answer, { explain = false }: AnswerReplyOptions = {}): APIEmbed {
  const asked = answer.question ? { author: { name: `“${answer.question}”` } } : {};
  const why = explain ? [explanationField(answer)] : [];
  if (!answer.answered) {
    const nearby = answer.suggestions.length
      ? `\n\n**Nearby topics you could ask about:**\n${answer.suggestions.map((s) => `• ${s}`).join('\n')}`
      : '';
    return {
      ...asked,
      color: WARNING_COLOUR,
      title: 'Not covered in the knowledge base',
      description: `I could not find a good answer to that, so I would rather not guess.${nearby}`,
      ...(why.length ? { fields: why } : {}),
      footer: { text: 'Try rephrasing with the role or skill you mean, or see /help for what I cover.' },
    };
  }
  const [best, ...more] = answer.passages;
  const readAs = answer.corrections.length ? ` Read as: ${answer.corrections.map((c) => `${c.typed} → ${c.corrected}`).join(', ')}.` : '';
  return {
    ...asked,
    color: BRAND_COLOUR,
    title: best!.title,
    description: best!.text,
    fields: [
      ...more.map((p) => ({ name: p.title, value: p.text })),
      { name: answer.passages.length > 1 ? 'Sources' : 'Source', value: sourcesText(answer.passages, DISCORD_LIMITS.fieldValue).replace(/^Sources?:\n/, '') },
      ...why,
    ],
    footer: { text: `${confidenceWords(answer.confidence)}${readAs}` },
  };
}

function explanationField(answer: Answer) {
  const list = (words: string[]) => (words.length ? words.join(', ') : 'none');
  return {
    name: 'Why this answer',
    value: `Matched: ${list(answer.matchedTerms)}\nNot matched: ${list(answer.missedTerms)}\nProbability it answers the question: ${Math.round(answer.confidence * 100)} %`,
  };
}

export function answerReply(answer: Answer, ephemeral: boolean, options: AnswerReplyOptions = {}): Reply {
  return { embeds: [answerEmbed(answer, options)], ephemeral };
}
