import { DiscordAPIError, RESTJSONErrorCodes, type Client } from 'discord.js';
import { ChannelUnavailableError, TipNotPostedError, type TipChannel } from '../scheduling/tipScheduler.js';
import { messageFields } from './reply.js';
import { tipEmbed } from './tipEmbed.js';

/** Discord's answers that mean the channel cannot take posts until a moderator acts. */
const UNAVAILABLE: Partial<Record<number, string>> = {
  [RESTJSONErrorCodes.UnknownChannel]: 'the channel no longer exists',
  [RESTJSONErrorCodes.MissingAccess]: 'the bot cannot see the channel',
  [RESTJSONErrorCodes.MissingPermissions]: 'the bot may not post in the channel (it needs View Channel, Send Messages and Embed Links)',
};

/**
 * Posts the daily tip as an embed, mentioning nobody, through whichever client is connected. Says when the tip
 * was surely not posted: a failure before sending, or Discord refusing it (a 4xx answer, a DiscordAPIError).
 * Anything else while sending (a timeout, a 5xx after discord.js's own retries) may have posted it.
 */
export function discordTipChannel(client: () => Client | undefined): TipChannel {
  return {
    async post(channelId, tip, engine, nonce) {
      const connected = client();
      if (!connected) throw new TipNotPostedError('not connected to Discord');
      const channel = await connected.channels.fetch(channelId).catch((error: unknown) => {
        throw notPosted(error);
      });
      if (!channel?.isSendable()) throw new ChannelUnavailableError('the channel is not one the bot can post in');
      try {
        const message = await channel.send({ ...messageFields({ ephemeral: false, embeds: [tipEmbed(tip, engine, 'Tip of the day')] }), nonce, enforceNonce: true });
        return message.id;
      } catch (error) {
        throw error instanceof DiscordAPIError ? notPosted(error) : error;
      }
    },
  };
}

function notPosted(error: unknown): TipNotPostedError {
  if (error instanceof DiscordAPIError && typeof error.code === 'number') {
    const reason = UNAVAILABLE[error.code] ?? (error.status === 403 || error.status === 404 ? `Discord refused the post (${error.message})` : undefined);
    if (reason) return new ChannelUnavailableError(reason);
  }
  return new TipNotPostedError(`the tip was not posted: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
