import type { Message, MessageCreateOptions } from 'discord.js';
import type { Logger } from '../logger.js';
import type { AutoAnswerDecision, AutoAnswerer, ChannelMessage, MessagePlace } from './autoAnswers.js';
import { grantedPermissions } from './discordAccess.js';
import { addTagToPost } from './forumTags.js';
import { messageFields } from './reply.js';

export function channelMessageOf(message: Message<true>): ChannelMessage {
  return {
    id: message.id,
    guildId: message.guildId,
    channelId: message.channelId,
    authorId: message.author.id,
    automated: message.author.bot || message.webhookId !== null || message.system,
    content: message.content,
    place: placeOf(message),
    granted: grantedPermissions(message.channel.permissionsFor(message.client.user)),
  };
}

function placeOf(message: Message<true>): MessagePlace {
  const { channel } = message;
  if (!channel.isThread() || channel.parentId === null) return { kind: 'channel' };
  // A post's first message shares the post's id.
  if (channel.parent?.isThreadOnly()) return { kind: 'forum-post', forumId: channel.parentId, title: channel.name, starter: message.id === channel.id };
  return { kind: 'thread', parentId: channel.parentId, openedByBot: channel.ownerId === message.client.user.id };
}

/**
 * The thin layer between discord.js messages and the auto-answerer: posts its answer as a reply, in a new
 * thread or in the forum post, tags the post, and remembers the answer. A failure is logged; it never stops
 * the bot.
 */
export function createMessageHandler(answerer: AutoAnswerer, logger: Logger): (message: Message) => Promise<void> {
  return async (message) => {
    if (!message.inGuild()) return;
    const incoming = channelMessageOf(message);
    try {
      const decision = await answerer.decide(incoming);
      if (decision.kind === 'silent') {
        logger.debug({ channelId: incoming.channelId, reason: decision.reason }, 'not answering a channel message');
        return;
      }
      let posted: Message;
      try {
        posted = await post(message, decision, logger);
      } catch (error) {
        decision.release();
        throw error;
      }
      await answerer.recordPosted(incoming, decision, posted);
      logger.info({ guildId: incoming.guildId, channelId: incoming.channelId, confidence: decision.answer.confidence }, 'answered a question in a channel');
      if (decision.tagId && message.channel.isThread()) await addTagToPost(message.channel, decision.tagId, logger);
    } catch (error) {
      logger.error({ err: error, guildId: incoming.guildId, channelId: incoming.channelId }, 'could not answer a channel message');
    }
  };
}

function post(message: Message<true>, decision: Extract<AutoAnswerDecision, { kind: 'answer' }>, logger: Logger): Promise<Message> {
  const payload = messageFields(decision.reply);
  switch (decision.mode) {
    case 'thread':
      return postInThread(message, decision.threadName, payload, logger);
    case 'in-post':
      return message.channel.send(payload);
    case 'reply':
      return message.reply(payload);
  }
}

/** Opens a thread on the question; where that is not allowed, falls back to a reply. */
async function postInThread(message: Message<true>, name: string, payload: MessageCreateOptions, logger: Logger): Promise<Message> {
  try {
    const thread = await message.startThread({ name });
    return await thread.send(payload);
  } catch (error) {
    logger.warn({ err: error, channelId: message.channelId }, 'could not open a thread; replying instead');
    return message.reply(payload);
  }
}
