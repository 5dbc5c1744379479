import { PermissionFlagsBits, type Client, type GuildBasedChannel, type PermissionsBitField } from 'discord.js';
import { BOT_PERMISSIONS, missingFor, permissionWords, type BotPermission, type BotTask } from '../guilds/permissions.js';
import type { ChannelAccess, ChannelUse, DiscordAccess, ForumTag } from '../guilds/settings.js';

/** Of the permissions the bot can need, those `permissions` holds (none where Discord did not say). */
export function grantedPermissions(permissions: Readonly<PermissionsBitField> | null | undefined): BotPermission[] {
  return BOT_PERMISSIONS.filter((name) => permissions?.has(PermissionFlagsBits[name]) ?? false);
}

/** What the server layer asks of Discord, answered from the cache of whichever client is connected. */
export function discordAccess(client: () => Client | undefined, readsMessages: () => boolean): DiscordAccess {
  return {
    channelAccess(guildId, channelId, use) {
      const connected = client();
      return connected ? channelAccess(connected, guildId, channelId, use) : { ok: false, problem: 'I am not connected to Discord.' };
    },
    forumTags(guildId, forumId): ForumTag[] {
      const channel = client()?.channels.cache.get(forumId) as GuildBasedChannel | undefined;
      if (channel?.guildId !== guildId || !channel.isThreadOnly()) return [];
      return channel.availableTags.map(({ id, name }) => ({ id, name }));
    },
    readsMessages,
  };
}

function channelAccess(client: Client, guildId: string, channelId: string, use: ChannelUse): ChannelAccess {
  const channel = client.channels.cache.get(channelId) as GuildBasedChannel | undefined;
  if (!channel || channel.guildId !== guildId) return { ok: false, problem: 'I cannot see that channel in this server.' };
  const forum = channel.isThreadOnly();
  let task: BotTask;
  if (use === 'tags') {
    if (!forum) return { ok: false, problem: 'it is not a forum or media channel.' };
    task = 'tag forum posts';
  } else if (use === 'answers' && forum) {
    task = 'answer in forum posts';
  } else {
    if (!channel.isTextBased()) return { ok: false, problem: use === 'answers' ? 'it is not a text, announcement, forum or media channel.' : 'it is not a text channel.' };
    task = use === 'tips' ? 'post tips' : 'answer in channels';
  }
  const missing = missingFor(task, grantedPermissions(client.user ? channel.permissionsFor(client.user) : null));
  return missing.length ? { ok: false, problem: `I am missing ${permissionWords(missing)} there.` } : { ok: true, forum };
}
