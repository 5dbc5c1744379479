import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed, APIEmbedField } from 'discord.js';
import { truncateAtSentence } from '../answering/truncate.js';

/** Discord's documented limits for a message and its embeds. */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** A file sent with a message: an embed shows it with `attachment://name`. */
export interface ReplyFile {
  name: string;
  data: Uint8Array;
  /** What it shows, in words: Discord gives it to screen readers as the file's alt text. */
  description?: string;
}

/** What a handler answers: a plain object, turned into a Discord payload in one place. */
export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  files?: ReplyFile[];
  /**
   * A form for the member to fill in, instead of a message: only as the first answer to a command (one that
   * says it `opensModal`) or to a button. Its submission comes back to the command's `interact`.
   */
  modal?: Modal;
  /** Only the member who asked sees it. */
  ephemeral: boolean;
}

/** Discord's modal: a title and one to five text fields. */
export interface Modal {
  /** Starts with the command's name and a colon, like a component's. */
  customId: string;
  /** At most 45 characters. */
  title: string;
  fields: ModalField[];
}

export interface ModalField {
  id: string;
  /** At most 45 characters; the description at most 100. */
  label: string;
  description?: string;
  style: 'short' | 'paragraph';
  required: boolean;
  /** At most 4,000. */
  maxLength: number;
  /** Filled in already (when editing). */
  value?: string;
  placeholder?: string;
}

/** The bot never pings anyone: not @everyone or @here, not roles, not users, not the member it replies to. */
export const NO_MENTIONS = { parse: [] as [], repliedUser: false };

export const BRAND_COLOUR = 0x5865f2;
export const WARNING_COLOUR = 0xf0b232;

/** The message fields of a reply as Discord takes them, mentioning nobody: every message leaves through here. */
export function messageFields(reply: Reply) {
  return {
    ...(reply.content !== undefined ? { content: reply.content } : {}),
    embeds: reply.embeds ?? [],
    components: reply.components ?? [],
    ...(reply.files?.length
      ? { files: reply.files.map((file) => ({ attachment: Buffer.from(file.data), name: file.name, ...(file.description ? { description: file.description } : {}) })) }
      : {}),
    allowedMentions: NO_MENTIONS,
  };
}

export function ephemeralText(content: string): Reply {
  return { content, ephemeral: true };
}

/** Cuts every part of a reply to Discord's limits, at sentence boundaries, and keeps the embeds' total in budget. */
export function fitToDiscordLimits(reply: Reply): Reply {
  const embeds = reply.embeds?.slice(0, DISCORD_LIMITS.embeds).map(fitEmbed);
  if (embeds) shrinkToTotal(embeds);
  return {
    ...reply,
    ...(reply.content !== undefined ? { content: truncateAtSentence(reply.content, DISCORD_LIMITS.content) } : {}),
    ...(embeds ? { embeds } : {}),
  };
}

function fitEmbed(embed: APIEmbed): APIEmbed {
  const fitted: APIEmbed = { ...embed };
  if (embed.title) fitted.title = truncateAtSentence(embed.title, DISCORD_LIMITS.title);
  if (embed.description) fitted.description = truncateAtSentence(embed.description, DISCORD_LIMITS.description);
  if (embed.footer) fitted.footer = { ...embed.footer, text: truncateAtSentence(embed.footer.text, DISCORD_LIMITS.footer) };
  if (embed.author) fitted.author = { ...embed.author, name: truncateAtSentence(embed.author.name, DISCORD_LIMITS.authorName) };
  if (embed.fields) {
    fitted.fields = embed.fields.slice(0, DISCORD_LIMITS.fields).map((field: APIEmbedField) => ({
      ...field,
      name: truncateAtSentence(field.name || '\u200b', DISCORD_LIMITS.fieldName),
      value: truncateAtSentence(field.value || '\u200b', DISCORD_LIMITS.fieldValue),
    }));
  }
  return fitted;
}

export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/** Over 6,000 characters in all: shorten the longest description, then drop trailing fields. */
function shrinkToTotal(embeds: APIEmbed[]): void {
  const excess = () => embeds.reduce((sum, e) => sum + embedLength(e), 0) - DISCORD_LIMITS.embedTotal;
  for (const embed of embeds) {
    if (excess() <= 0) return;
    if (embed.description && embed.description.length > 400) {
      embed.description = truncateAtSentence(embed.description, Math.max(400, embed.description.length - excess()));
    }
  }
  for (const embed of [...embeds].reverse()) {
    while (excess() > 0 && embed.fields?.length) embed.fields = embed.fields.slice(0, -1);
  }
}
