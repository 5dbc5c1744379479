/**
 * Guild / channel / role / member fixtures, their defaults, permission arithmetic, and the
 * conversion of fixtures to Discord API objects.
 */
import { ChannelType, PermissionFlagsBits } from 'discord.js';
import type {
  APIChannel,
  APIGuildMember,
  APIOverwrite,
  APIRole,
  APIUser,
  GuildMemberFlags,
  RoleFlags,
  UserFlags,
} from 'discord.js';
import { nextSnowflake, discordTimestamp } from './snowflake.js';
import type { JsonObject } from './state.js';

// ---------------------------------------------------------------------------------------------
// Permissions
// ---------------------------------------------------------------------------------------------

/** Anything the double accepts as a permission bit-field. */
export type PermissionInput = bigint | number | string | readonly bigint[];

export function toPermissionBits(input: PermissionInput): bigint {
  if (Array.isArray(input)) return (input as readonly bigint[]).reduce((acc, bit) => acc | bit, 0n);
  return BigInt(input as bigint | number | string);
}

export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((acc, bit) => acc | bit, 0n);

const P = PermissionFlagsBits;

/** What @everyone can do in a freshly created community server (roughly). */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
  P.ViewChannel |
  P.SendMessages |
  P.SendMessagesInThreads |
  P.CreatePublicThreads |
  P.CreatePrivateThreads |
  P.EmbedLinks |
  P.AttachFiles |
  P.AddReactions |
  P.UseExternalEmojis |
  P.UseExternalStickers |
  P.ReadMessageHistory |
  P.UseApplicationCommands |
  P.CreateInstantInvite |
  P.ChangeNickname |
  P.Connect |
  P.Speak |
  P.SendPolls;

/** What the bot's managed role grants by default: view, send, embed, attach, create threads. */
export const DEFAULT_BOT_PERMISSIONS: bigint =
  P.ViewChannel |
  P.SendMessages |
  P.SendMessagesInThreads |
  P.CreatePublicThreads |
  P.EmbedLinks |
  P.AttachFiles |
  P.ReadMessageHistory |
  P.AddReactions |
  P.UseExternalEmojis |
  P.UseApplicationCommands;

/** A "Moderator" role: Manage Server and friends. */
export const DEFAULT_MODERATOR_PERMISSIONS: bigint =
  P.ManageGuild | P.ManageMessages | P.ManageThreads | P.KickMembers | P.ModerateMembers;

// ---------------------------------------------------------------------------------------------
// Fixture types
// ---------------------------------------------------------------------------------------------

export interface RoleFixture {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  color: number;
  hoist: boolean;
  mentionable: boolean;
  /** Managed roles are created by integrations; the bot's own role has `botId`. */
  managed: boolean;
  botId?: string;
}

export interface OverwriteFixture {
  /** Role id or user id. */
  id: string;
  type: 'role' | 'member';
  allow: bigint;
  deny: bigint;
}

/** Guild channel kinds the fixtures support (threads, and forum posts, are created at runtime). */
export type GuildChannelKind =
  | ChannelType.GuildText
  | ChannelType.GuildAnnouncement
  | ChannelType.GuildCategory
  | ChannelType.GuildForum
  | ChannelType.GuildMedia
  | ChannelType.GuildVoice;

/** A tag a forum's (or media channel's) posts can carry. */
export interface ForumTagFixture {
  id: string;
  name: string;
  /** Only members with Manage Threads may apply it. */
  moderated: boolean;
  emojiName: string | null;
}

/** Forum and media channels hold posts (threads) only: no messages of their own. */
export function isThreadOnlyKind(type: ChannelType): boolean {
  return type === ChannelType.GuildForum || type === ChannelType.GuildMedia;
}

export interface ChannelFixture {
  id: string;
  name: string;
  type: GuildChannelKind;
  parentId: string | null;
  position: number;
  topic: string | null;
  nsfw: boolean;
  rateLimitPerUser: number;
  permissionOverwrites: OverwriteFixture[];
  /** A forum's or media channel's tags (empty for other channels). */
  availableTags: ForumTagFixture[];
}

export interface MemberFixture {
  user: APIUser;
  /** Role ids, not including @everyone. */
  roles: string[];
  nick: string | null;
  joinedAt: string;
}

export interface GuildFixture {
  id: string;
  name: string;
  ownerId: string;
  preferredLocale: string;
  features: string[];
  /** Includes @everyone, whose id equals the guild id. */
  roles: RoleFixture[];
  channels: ChannelFixture[];
  members: MemberFixture[];
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

export interface UserOptions {
  id?: string;
  username?: string;
  globalName?: string | null;
  bot?: boolean;
}

export function createUser(options: UserOptions = {}): APIUser {
  const id = options.id ?? nextSnowflake();
  const username = options.username ?? `user${id.slice(-5)}`;
  const user: APIUser = {
    id,
    username,
    discriminator: options.bot ? String(1000 + (Number(BigInt(id) % 9000n))) : '0',
    global_name: options.globalName === undefined ? (options.bot ? null : username) : options.globalName,
    avatar: null,
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
  if (options.bot) user.bot = true;
  return user;
}

/** The default cast of humans in the default guild. */
export interface DefaultUsers {
  /** Owns the guild (implicitly has every permission). */
  owner: APIUser;
  /** Has the "Moderator" role, which includes Manage Server. */
  moderator: APIUser;
  /** A regular member: @everyone permissions only. */
  member: APIUser;
}

export function createDefaultUsers(): DefaultUsers {
  return {
    owner: createUser({ username: 'owner', globalName: 'Server Owner' }),
    moderator: createUser({ username: 'moderator', globalName: 'Moderator' }),
    member: createUser({ username: 'member', globalName: 'Regular Member' }),
  };
}

export interface RoleOptions {
  id?: string;
  name: string;
  permissions?: PermissionInput;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
}

export interface OverwriteOptions {
  id: string;
  type: 'role' | 'member';
  allow?: PermissionInput;
  deny?: PermissionInput;
}

export interface ChannelOptions {
  id?: string;
  name: string;
  type?: GuildChannelKind;
  parentId?: string | null;
  topic?: string | null;
  nsfw?: boolean;
  rateLimitPerUser?: number;
  permissionOverwrites?: OverwriteOptions[];
  /** For a forum or media channel: its tags, by name or in full. */
  tags?: Array<string | { id?: string; name: string; moderated?: boolean; emojiName?: string }>;
}

export interface MemberOptions {
  user: APIUser;
  /** Role ids or role names of roles in this guild fixture. */
  roles?: string[];
  nick?: string | null;
}

export interface GuildOptions {
  id?: string;
  name?: string;
  /** Default: a new user named "owner". The owner is added as a member. */
  owner?: APIUser;
  preferredLocale?: string;
  features?: string[];
  /** Permissions of @everyone. Default {@link DEFAULT_EVERYONE_PERMISSIONS}. */
  everyonePermissions?: PermissionInput;
  /** Permissions of the bot's managed role. Default {@link DEFAULT_BOT_PERMISSIONS}. */
  botPermissions?: PermissionInput;
  /** Extra roles (besides @everyone and the bot role). */
  roles?: RoleOptions[];
  /** Default: one text channel, `#general`. */
  channels?: ChannelOptions[];
  /** Human members besides the owner. The bot member is added by the double. */
  members?: MemberOptions[];
}

/** The name of the placeholder managed role that becomes the bot's role. */
export const BOT_ROLE_PLACEHOLDER = '\u0000bot-role';

/**
 * A guild fixture with sensible defaults. The bot member and its managed role are completed by
 * the double (which knows the bot user); see {@link attachBotToGuild}.
 */
export function createGuildFixture(options: GuildOptions = {}): GuildFixture {
  const id = options.id ?? nextSnowflake();
  const owner = options.owner ?? createUser({ username: 'owner' });
  const roles: RoleFixture[] = [
    {
      id,
      name: '@everyone',
      permissions: toPermissionBits(options.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS),
      position: 0,
      color: 0,
      hoist: false,
      mentionable: false,
      managed: false,
    },
  ];
  for (const [index, role] of (options.roles ?? []).entries()) {
    roles.push({
      id: role.id ?? nextSnowflake(),
      name: role.name,
      permissions: toPermissionBits(role.permissions ?? 0n),
      position: index + 1,
      color: role.color ?? 0,
      hoist: role.hoist ?? false,
      mentionable: role.mentionable ?? false,
      managed: false,
    });
  }
  roles.push({
    id: nextSnowflake(),
    name: BOT_ROLE_PLACEHOLDER,
    permissions: toPermissionBits(options.botPermissions ?? DEFAULT_BOT_PERMISSIONS),
    position: roles.length,
    color: 0,
    hoist: false,
    mentionable: false,
    managed: true,
  });
  const roleId = (ref: string): string => {
    const role = roles.find((r) => r.id === ref || r.name === ref);
    if (!role) throw new Error(`createGuildFixture: unknown role "${ref}" (known: ${roles.map((r) => r.name).join(', ')})`);
    return role.id;
  };
  const channelOptions = options.channels ?? [{ name: 'general', topic: 'General chat' }];
  const channels: ChannelFixture[] = channelOptions.map((channel, index) => {
    const type = channel.type ?? ChannelType.GuildText;
    if (channel.tags?.length && !isThreadOnlyKind(type)) throw new Error(`createGuildFixture: #${channel.name} has tags, but only forum and media channels have tags`);
    return {
      id: channel.id ?? nextSnowflake(),
      name: channel.name,
      type,
      parentId: channel.parentId ?? null,
      position: index,
      topic: channel.topic ?? null,
      nsfw: channel.nsfw ?? false,
      rateLimitPerUser: channel.rateLimitPerUser ?? 0,
      permissionOverwrites: resolveOverwrites(channel.permissionOverwrites ?? [], roleId),
      availableTags: (channel.tags ?? []).map((tag) => {
        const spec = typeof tag === 'string' ? { name: tag } : tag;
        return { id: spec.id ?? nextSnowflake(), name: spec.name, moderated: spec.moderated ?? false, emojiName: spec.emojiName ?? null };
      }),
    };
  });
  const joinedAt = discordTimestamp(Date.now() - 86_400_000);
  const members: MemberFixture[] = [{ user: owner, roles: [], nick: null, joinedAt }];
  for (const member of options.members ?? []) {
    if (members.some((m) => m.user.id === member.user.id)) continue;
    members.push({ user: member.user, roles: (member.roles ?? []).map(roleId), nick: member.nick ?? null, joinedAt });
  }
  return {
    id,
    name: options.name ?? 'ML Careers (test)',
    ownerId: owner.id,
    preferredLocale: options.preferredLocale ?? 'en-US',
    features: options.features ?? [],
    roles,
    channels,
    members,
  };
}

/** Overwrites as given (a role by id or name) to fixtures. */
export function resolveOverwrites(overwrites: readonly OverwriteOptions[], roleId: (ref: string) => string): OverwriteFixture[] {
  return overwrites.map((overwrite) => ({
    id: overwrite.type === 'role' ? roleId(overwrite.id) : overwrite.id,
    type: overwrite.type,
    allow: toPermissionBits(overwrite.allow ?? 0n),
    deny: toPermissionBits(overwrite.deny ?? 0n),
  }));
}

/** The default guild: #general, @everyone, a Moderator role (Manage Server), owner/moderator/member. */
export function createDefaultGuild(users: DefaultUsers): GuildFixture {
  return createGuildFixture({
    name: 'ML Careers (test)',
    owner: users.owner,
    roles: [{ name: 'Moderator', permissions: DEFAULT_MODERATOR_PERMISSIONS, color: 0x3498db, hoist: true }],
    channels: [{ name: 'general', topic: 'Ask about machine-learning careers here' }],
    members: [
      { user: users.moderator, roles: ['Moderator'] },
      { user: users.member, roles: [] },
    ],
  });
}

/**
 * Makes sure the bot is a member of the guild with a managed role tagged with its id.
 * Turns the placeholder role from {@link createGuildFixture} into "<bot name>"; adds one if the
 * fixture was hand-written without it.
 */
export function attachBotToGuild(guild: GuildFixture, bot: APIUser): void {
  let botRole = guild.roles.find((r) => r.managed && (r.botId === bot.id || r.name === BOT_ROLE_PLACEHOLDER));
  if (!botRole) {
    botRole = {
      id: nextSnowflake(),
      name: bot.username,
      permissions: DEFAULT_BOT_PERMISSIONS,
      position: guild.roles.length,
      color: 0,
      hoist: false,
      mentionable: false,
      managed: true,
    };
    guild.roles.push(botRole);
  }
  if (botRole.name === BOT_ROLE_PLACEHOLDER) botRole.name = bot.username;
  botRole.botId = bot.id;
  const existing = guild.members.find((m) => m.user.id === bot.id);
  if (existing) {
    if (!existing.roles.includes(botRole.id)) existing.roles.push(botRole.id);
  } else {
    guild.members.push({ user: bot, roles: [botRole.id], nick: null, joinedAt: discordTimestamp(Date.now() - 3_600_000) });
  }
}

// ---------------------------------------------------------------------------------------------
// Permission arithmetic (https://discord.com/developers/docs/topics/permissions)
// ---------------------------------------------------------------------------------------------

function memberRoleIds(guild: GuildFixture, userId: string): string[] {
  return guild.members.find((m) => m.user.id === userId)?.roles ?? [];
}

/** Guild-level permissions of a user (non-members get @everyone's). */
export function basePermissions(guild: GuildFixture, userId: string, roleIds = memberRoleIds(guild, userId)): bigint {
  if (guild.ownerId === userId) return ALL_PERMISSIONS;
  let permissions = guild.roles.find((r) => r.id === guild.id)?.permissions ?? 0n;
  for (const roleId of roleIds) permissions |= guild.roles.find((r) => r.id === roleId)?.permissions ?? 0n;
  if ((permissions & P.Administrator) === P.Administrator) return ALL_PERMISSIONS;
  return permissions;
}

/** Channel-level permissions of a user after applying overwrites. */
export function channelPermissions(
  guild: GuildFixture,
  overwrites: readonly OverwriteFixture[],
  userId: string,
  roleIds = memberRoleIds(guild, userId),
): bigint {
  const base = basePermissions(guild, userId, roleIds);
  if (base === ALL_PERMISSIONS) return ALL_PERMISSIONS;
  let permissions = base;
  const everyone = overwrites.find((o) => o.type === 'role' && o.id === guild.id);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;
  let allow = 0n;
  let deny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type === 'role' && roleIds.includes(overwrite.id)) {
      allow |= overwrite.allow;
      deny |= overwrite.deny;
    }
  }
  permissions = (permissions & ~deny) | allow;
  const member = overwrites.find((o) => o.type === 'member' && o.id === userId);
  if (member) permissions = (permissions & ~member.deny) | member.allow;
  // Without View Channel nothing else applies.
  if ((permissions & P.ViewChannel) === 0n) return 0n;
  return permissions;
}

// ---------------------------------------------------------------------------------------------
// Fixture -> API objects
// ---------------------------------------------------------------------------------------------

export function toApiRole(role: RoleFixture): APIRole {
  const api: APIRole = {
    id: role.id,
    name: role.name,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.managed,
    mentionable: role.mentionable,
    flags: 0 as RoleFlags,
  };
  if (role.botId) api.tags = { bot_id: role.botId };
  return api;
}

export function toApiOverwrite(overwrite: OverwriteFixture): APIOverwrite {
  return {
    id: overwrite.id,
    type: overwrite.type === 'role' ? 0 : 1,
    allow: overwrite.allow.toString(),
    deny: overwrite.deny.toString(),
  };
}

export function toApiChannel(channel: ChannelFixture, guildId: string, lastMessageId: string | null): APIChannel {
  return {
    id: channel.id,
    type: channel.type,
    guild_id: guildId,
    name: channel.name,
    position: channel.position,
    permission_overwrites: channel.permissionOverwrites.map(toApiOverwrite),
    parent_id: channel.parentId,
    topic: channel.topic,
    nsfw: channel.nsfw,
    last_message_id: lastMessageId,
    rate_limit_per_user: channel.rateLimitPerUser,
    flags: 0,
    ...(isThreadOnlyKind(channel.type)
      ? {
          available_tags: channel.availableTags.map((tag) => ({ id: tag.id, name: tag.name, moderated: tag.moderated, emoji_id: null, emoji_name: tag.emojiName })),
          default_reaction_emoji: null,
          default_thread_rate_limit_per_user: 0,
          default_auto_archive_duration: 4320,
          default_sort_order: null,
          ...(channel.type === ChannelType.GuildForum ? { default_forum_layout: 0 } : {}),
        }
      : {}),
  } as unknown as APIChannel;
}

export function toApiMember(member: MemberFixture, extra: { permissions?: bigint } = {}): APIGuildMember & { permissions?: string } {
  const api: APIGuildMember & { permissions?: string } = {
    user: member.user,
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
  if (extra.permissions !== undefined) api.permissions = extra.permissions.toString();
  return api;
}

/** The guild object Discord returns over REST; GUILD_CREATE adds the gateway's extras to it. */
export function toApiGuild(guild: GuildFixture, systemChannelId: string | null): JsonObject {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 1,
    default_message_notifications: 1,
    explicit_content_filter: 2,
    roles: guild.roles.map(toApiRole),
    emojis: [],
    stickers: [],
    features: guild.features,
    mfa_level: 0,
    application_id: null,
    system_channel_id: systemChannelId,
    system_channel_flags: 0,
    rules_channel_id: null,
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: guild.preferredLocale,
    public_updates_channel_id: null,
    nsfw_level: 0,
    nsfw: false,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    hub_type: null,
    incidents_data: null,
  };
}
