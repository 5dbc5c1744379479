import type { Message, MessageCreateOptions } from 'discord.js';
import type { Logger } from '../logger.js';
import type { AutoAnswerer, ChannelMessage } from './autoAnswers.js';
import { messageFields } from './reply.js';

export function channelMessageOf(message: Message<true>): ChannelMessage {
  return {
    id: message.id,
    guildId: message.guildId,
    channelId: message.channelId,
    authorId: message.author.id,
    automated: message.author.bot || message.webhookId !== null || message.system,
    content: message.content,
  };
}

/**
 * The thin layer between discord.js messages and the auto-answerer: posts its answer as a reply or in a new
 * thread, and remembers it. A failure is logged; it never stops the bot.
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
      const payload = messageFields(decision.reply);
      let posted: Message;
      try {
        posted = decision.mode === 'thread' ? await postInThread(message, decision.threadName, payload, logger) : await message.reply(payload);
      } catch (error) {
        decision.release();
        throw error;
      }
      await answerer.recordPosted(incoming, decision, posted);
      logger.info({ guildId: incoming.guildId, channelId: incoming.channelId, confidence: decision.answer.confidence }, 'answered a question in a channel');
    } catch (error) {
      logger.error({ err: error, guildId: incoming.guildId, channelId: incoming.channelId }, 'could not answer a channel message');
    }
  };
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
