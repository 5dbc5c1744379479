import { DiscordAPIError, RESTJSONErrorCodes, type Client } from 'discord.js';
import { ChannelUnavailableError, type TipChannel } from '../scheduling/tipScheduler.js';
import { messageFields } from './reply.js';
import { tipEmbed } from './tipEmbed.js';

/** Discord's answers that mean the channel cannot take posts until a moderator acts. */
const UNAVAILABLE: Partial<Record<number, string>> = {
  [RESTJSONErrorCodes.UnknownChannel]: 'the channel no longer exists',
  [RESTJSONErrorCodes.MissingAccess]: 'the bot cannot see the channel',
  [RESTJSONErrorCodes.MissingPermissions]: 'the bot may not post in the channel (it needs View Channel, Send Messages and Embed Links)',
};

/** Posts the daily tip as an embed, mentioning nobody, through whichever client is connected. */
export function discordTipChannel(client: () => Client | undefined): TipChannel {
  return {
    async post(channelId, tip, engine) {
      const connected = client();
      if (!connected) throw new Error('not connected to Discord');
      try {
        const channel = await connected.channels.fetch(channelId);
        if (!channel?.isSendable()) throw new ChannelUnavailableError('the channel is not one the bot can post in');
        const message = await channel.send(messageFields({ ephemeral: false, embeds: [tipEmbed(tip, engine, 'Tip of the day')] }));
        return message.id;
      } catch (error) {
        if (error instanceof DiscordAPIError && typeof error.code === 'number') {
          const reason = UNAVAILABLE[error.code] ?? (error.status === 403 || error.status === 404 ? `Discord refused the post (${error.message})` : undefined);
          if (reason) throw new ChannelUnavailableError(reason);
        }
        throw error;
      }
    },
  };
}
