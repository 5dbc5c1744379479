import type { APIEmbed } from 'discord.js';
import type { Reply } from '../bot/reply.js';

/**
 * A reply laid out as Discord shows it, in plain text: who it is for, the embed's question, title, text,
 * fields, footer, and the buttons under it. For reviewing answers without a Discord server.
 */
export function renderReply(reply: Reply): string {
  const lines: string[] = [reply.ephemeral ? '(only you can see this)' : '(visible to the channel)'];
  if (reply.content) lines.push(reply.content);
  for (const embed of reply.embeds ?? []) lines.push(...renderEmbed(embed));
  for (const row of reply.components ?? []) {
    const buttons = row.components.map((c) => ('label' in c ? `[ ${'emoji' in c && c.emoji?.name ? `${c.emoji.name} ` : ''}${c.label} ]` : ''));
    lines.push(buttons.filter(Boolean).join(' '));
  }
  return lines.join('\n');
}

function renderEmbed(embed: APIEmbed): string[] {
  const rule = '─'.repeat(60);
  const lines = [rule];
  if (embed.author) lines.push(embed.author.name);
  if (embed.title) lines.push(`## ${embed.title}`);
  if (embed.description) lines.push(embed.description);
  for (const field of embed.fields ?? []) lines.push('', `**${field.name}**`, field.value);
  if (embed.footer) lines.push('', `— ${embed.footer.text}`);
  lines.push(rule);
  return lines;
}
