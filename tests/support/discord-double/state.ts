/**
 * The double's world: users, guild fixtures, channels (incl. threads and DMs), messages,
 * application commands and interactions. REST handlers and the gateway both read and mutate it.
 */
import { EventEmitter } from 'node:events';
import { ChannelType, MessageFlags, MessageType, PermissionFlagsBits } from 'discord.js';
import type { APIApplicationCommand, APIAttachment, APIChannel, APIMessage, APIUser } from 'discord.js';
import {
  channelPermissions,
  isThreadOnlyKind,
  toApiChannel,
  toApiMember,
  type ChannelFixture,
  type GuildFixture,
  type MemberFixture,
} from './fixtures.js';
import { discordTimestamp, nextSnowflake } from './snowflake.js';

export type JsonObject = Record<string, unknown>;

/** A file uploaded in a multipart request. */
export interface RecordedFile {
  /** Form field name, e.g. `files[0]`. */
  field: string;
  name: string;
  contentType: string;
  size: number;
  data: Buffer;
}

/** Where a stored message came from. */
export type MessageSource = 'channel' | 'interaction' | 'followup' | 'user';

export interface StoredMessage {
  /** Current state. */
  message: APIMessage;
  /** Earlier versions, oldest first. */
  history: APIMessage[];
  deleted: boolean;
  source: MessageSource;
  /** The interaction whose token created it (interaction responses and follow-ups). */
  interactionId?: string;
  files: Map<string, RecordedFile>;
}

export type MessageEventKind = 'create' | 'update' | 'delete';

export interface MessageEvent {
  kind: MessageEventKind;
  stored: StoredMessage;
}

export interface ThreadState {
  name: string;
  parentId: string;
  ownerId: string;
  archived: boolean;
  locked: boolean;
  autoArchiveDuration: number;
  createTimestamp: string;
  rateLimitPerUser: number;
  messageCount: number;
  totalMessageSent: number;
  memberCount: number;
  invitable: boolean;
  /** Tag ids, for a post in a forum or media channel. */
  appliedTags: string[];
}

export interface ChannelState {
  id: string;
  type: ChannelType;
  guildId: string | null;
  /** Guild channels from fixtures. */
  fixture?: ChannelFixture;
  /** Threads created at runtime. */
  thread?: ThreadState;
  /** DM channels. */
  recipient?: APIUser;
  lastMessageId: string | null;
}

export interface InteractionCallbackRecord {
  type: number;
  data?: JsonObject;
  at: number;
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  payload: JsonObject;
  channelId: string | null;
  guildId: string | null;
  user: APIUser;
  commandName?: string;
  commandType?: number;
  /** For component interactions: the message the component is on. */
  componentMessageId?: string;
  createdAt: number;
  /** After this time the callback is refused with 10062 Unknown interaction. */
  deadlineAt: number;
  callback?: InteractionCallbackRecord;
  originalMessageId?: string;
  /** A type 5 (deferred) response whose loading message has not been edited yet. */
  loading: boolean;
  followUpIds: string[];
}

export interface CreateMessageInput {
  channelId: string;
  author: APIUser;
  body: JsonObject;
  files?: RecordedFile[];
  source: MessageSource;
  type?: MessageType;
  interaction?: InteractionRecord;
  /** For webhook / interaction messages. */
  webhookId?: string;
  /** Id override (messages built by tests). */
  id?: string;
}

const MENTION_USER = /<@!?(\d{15,21})>/g;
const MENTION_ROLE = /<@&(\d{15,21})>/g;
const MENTION_EVERYONE = /@(everyone|here)\b/;

export class DoubleState {
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly users = new Map<string, APIUser>();
  readonly guilds = new Map<string, GuildFixture>();
  readonly channels = new Map<string, ChannelState>();
  readonly messages = new Map<string, StoredMessage>();
  readonly globalCommands = new Map<string, APIApplicationCommand>();
  readonly guildCommands = new Map<string, Map<string, APIApplicationCommand>>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly interactionsById = new Map<string, InteractionRecord>();
  /** Files users attached to command options, by attachment id: served at their URL like Discord's CDN. */
  readonly uploads = new Map<string, RecordedFile>();
  /**
   * Emits `message` with a {@link MessageEvent}, `thread` with a thread's {@link ChannelState} when it is
   * created and `thread-update` when it is edited.
   */
  readonly events = new EventEmitter();
  /** Base of attachment URLs, e.g. `http://127.0.0.1:1234`. Set once the server listens. */
  origin = 'http://127.0.0.1';
  /** Stable ids for commands invoked before (or without) registration. */
  readonly #syntheticCommandIds = new Map<string, string>();

  constructor(applicationId: string, botUser: APIUser, guilds: GuildFixture[]) {
    this.applicationId = applicationId;
    this.botUser = botUser;
    this.users.set(botUser.id, botUser);
    for (const guild of guilds) this.addGuild(guild);
  }

  addGuild(guild: GuildFixture): void {
    this.guilds.set(guild.id, guild);
    for (const member of guild.members) this.users.set(member.user.id, member.user);
    for (const channel of guild.channels) {
      this.channels.set(channel.id, { id: channel.id, type: channel.type, guildId: guild.id, fixture: channel, lastMessageId: null });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Lookups
  // -------------------------------------------------------------------------------------------

  guildOf(channel: ChannelState): GuildFixture | undefined {
    return channel.guildId ? this.guilds.get(channel.guildId) : undefined;
  }

  member(guildId: string, userId: string): MemberFixture | undefined {
    return this.guilds.get(guildId)?.members.find((m) => m.user.id === userId);
  }

  /** The channel whose permission overwrites apply (a thread's parent). */
  permissionSource(channel: ChannelState): ChannelState {
    if (channel.thread) return this.channels.get(channel.thread.parentId) ?? channel;
    return channel;
  }

  /** Permissions of `userId` in a channel; DMs get the DM set. */
  permissionsIn(channelId: string, userId: string, roleIds?: string[]): bigint {
    const channel = this.channels.get(channelId);
    if (!channel) return 0n;
    const guild = this.guildOf(channel);
    if (!guild) {
      const P = PermissionFlagsBits;
      return P.ViewChannel | P.SendMessages | P.ReadMessageHistory | P.EmbedLinks | P.AttachFiles | P.AddReactions | P.UseExternalEmojis | P.MentionEveryone;
    }
    const source = this.permissionSource(channel);
    return channelPermissions(guild, source.fixture?.permissionOverwrites ?? [], userId, roleIds);
  }

  botCan(channelId: string, permission: bigint): boolean {
    return (this.permissionsIn(channelId, this.botUser.id) & permission) === permission;
  }

  /** The first text channel of a guild. */
  defaultTextChannel(guildId: string): ChannelFixture | undefined {
    return this.guilds.get(guildId)?.channels.find((c) => c.type === ChannelType.GuildText);
  }

  // -------------------------------------------------------------------------------------------
  // Channels
  // -------------------------------------------------------------------------------------------

  channelToApi(channel: ChannelState): APIChannel {
    if (channel.fixture && channel.guildId) return toApiChannel(channel.fixture, channel.guildId, channel.lastMessageId);
    if (channel.thread) {
      const t = channel.thread;
      return {
        id: channel.id,
        type: channel.type,
        guild_id: channel.guildId,
        parent_id: t.parentId,
        owner_id: t.ownerId,
        name: t.name,
        last_message_id: channel.lastMessageId,
        message_count: t.messageCount,
        member_count: t.memberCount,
        rate_limit_per_user: t.rateLimitPerUser,
        total_message_sent: t.totalMessageSent,
        flags: 0,
        ...(this.isPost(channel) ? { applied_tags: [...t.appliedTags] } : {}),
        thread_metadata: {
          archived: t.archived,
          auto_archive_duration: t.autoArchiveDuration,
          archive_timestamp: t.createTimestamp,
          locked: t.locked,
          create_timestamp: t.createTimestamp,
          ...(channel.type === ChannelType.PrivateThread ? { invitable: t.invitable } : {}),
        },
      } as unknown as APIChannel;
    }
    return {
      id: channel.id,
      type: ChannelType.DM,
      name: null,
      last_message_id: channel.lastMessageId,
      recipients: channel.recipient ? [channel.recipient] : [],
      flags: 0,
    } as unknown as APIChannel;
  }

  /** A post in a forum or media channel (a thread there). */
  isPost(channel: ChannelState): boolean {
    const parent = channel.thread ? this.channels.get(channel.thread.parentId) : undefined;
    return parent !== undefined && isThreadOnlyKind(parent.type);
  }

  createThread(input: {
    parent: ChannelState;
    name: string;
    type: ChannelType;
    ownerId: string;
    autoArchiveDuration?: number;
    rateLimitPerUser?: number;
    id?: string;
    invitable?: boolean;
    appliedTags?: string[];
  }): ChannelState {
    const now = discordTimestamp();
    const thread: ChannelState = {
      id: input.id ?? nextSnowflake(),
      type: input.type,
      guildId: input.parent.guildId,
      lastMessageId: null,
      thread: {
        name: input.name,
        parentId: input.parent.id,
        ownerId: input.ownerId,
        archived: false,
        locked: false,
        autoArchiveDuration: input.autoArchiveDuration ?? 4320,
        createTimestamp: now,
        rateLimitPerUser: input.rateLimitPerUser ?? 0,
        messageCount: 0,
        totalMessageSent: 0,
        memberCount: 1,
        invitable: input.invitable ?? true,
        appliedTags: input.appliedTags ?? [],
      },
    };
    this.channels.set(thread.id, thread);
    this.events.emit('thread', thread);
    return thread;
  }

  dmChannelFor(user: APIUser): ChannelState {
    for (const channel of this.channels.values()) {
      if (channel.recipient?.id === user.id) return channel;
    }
    const channel: ChannelState = { id: nextSnowflake(), type: ChannelType.DM, guildId: null, recipient: user, lastMessageId: null };
    this.channels.set(channel.id, channel);
    return channel;
  }

  // -------------------------------------------------------------------------------------------
  // Messages
  // -------------------------------------------------------------------------------------------

  /** How long Discord remembers a nonce for enforce_nonce: "the past few minutes". */
  static readonly NONCE_WINDOW_MS = 5 * 60_000;

  /** The author's undeleted message with this nonce, created within NONCE_WINDOW_MS. */
  recentMessageWithNonce(authorId: string, nonce: string | number): StoredMessage | undefined {
    const since = Date.now() - DoubleState.NONCE_WINDOW_MS;
    for (const stored of this.messages.values()) {
      const { message } = stored;
      if (!stored.deleted && message.author.id === authorId && message.nonce === nonce && Date.parse(message.timestamp) >= since) return stored;
    }
    return undefined;
  }

  createMessage(input: CreateMessageInput): StoredMessage {
    const channel = this.channels.get(input.channelId);
    const id = input.id ?? nextSnowflake();
    const files = new Map<string, RecordedFile>();
    const attachments = this.#resolveAttachments(input.channelId, input.body, input.files ?? [], [], files);
    const body = input.body;
    const reference = isObject(body.message_reference) ? body.message_reference : undefined;
    const referenced = typeof reference?.message_id === 'string' ? this.messages.get(reference.message_id) : undefined;
    const message: APIMessage = {
      id,
      channel_id: input.channelId,
      author: input.author,
      content: typeof body.content === 'string' ? body.content : '',
      timestamp: discordTimestamp(),
      edited_timestamp: null,
      tts: body.tts === true,
      ...this.#mentions(channel, body, referenced?.message),
      attachments,
      embeds: normalizeEmbeds(body.embeds),
      components: Array.isArray(body.components) ? (structuredClone(body.components) as APIMessage['components']) : [],
      pinned: false,
      type: input.type ?? (reference ? MessageType.Reply : MessageType.Default),
      flags: typeof body.flags === 'number' ? body.flags : 0,
    };
    if (typeof body.nonce === 'string' || typeof body.nonce === 'number') message.nonce = body.nonce;
    if (reference && typeof reference.message_id === 'string') {
      message.message_reference = { type: 0, message_id: reference.message_id, channel_id: input.channelId, ...(channel?.guildId ? { guild_id: channel.guildId } : {}) };
      if (referenced) message.referenced_message = referenced.message;
    }
    if (input.webhookId) {
      message.webhook_id = input.webhookId;
      message.application_id = this.applicationId;
    }
    if (input.interaction) this.#attachInteractionMetadata(message, input.interaction, input.source);
    if (channel?.thread) {
      message.position = channel.thread.totalMessageSent;
      channel.thread.messageCount += 1;
      channel.thread.totalMessageSent += 1;
    }
    if (channel) channel.lastMessageId = id;
    const stored: StoredMessage = { message, history: [], deleted: false, source: input.source, files };
    if (input.interaction) stored.interactionId = input.interaction.id;
    this.messages.set(id, stored);
    this.events.emit('message', { kind: 'create', stored } satisfies MessageEvent);
    return stored;
  }

  /** Applies a PATCH body (content, embeds, components, attachments, flags, allowed_mentions). */
  editMessage(stored: StoredMessage, body: JsonObject, files: RecordedFile[] = [], options: { markEdited?: boolean } = {}): StoredMessage {
    const previous = stored.message;
    stored.history.push(structuredClone(previous));
    const next: APIMessage = { ...previous };
    if ('content' in body) next.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body) next.embeds = normalizeEmbeds(body.embeds);
    if ('components' in body) next.components = Array.isArray(body.components) ? (structuredClone(body.components) as APIMessage['components']) : [];
    if ('attachments' in body || files.length > 0) {
      next.attachments = this.#resolveAttachments(previous.channel_id, body, files, previous.attachments, stored.files);
    }
    const editableFlags = MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2;
    if (typeof body.flags === 'number') next.flags = ((previous.flags ?? 0) & ~editableFlags) | (body.flags & editableFlags);
    const wasLoading = ((previous.flags ?? 0) & MessageFlags.Loading) !== 0;
    next.flags = (next.flags ?? 0) & ~MessageFlags.Loading;
    if ('content' in body || 'allowed_mentions' in body) {
      Object.assign(next, this.#mentions(this.channels.get(previous.channel_id), { ...body, content: next.content }, undefined));
    }
    if (options.markEdited !== false && !wasLoading) next.edited_timestamp = discordTimestamp();
    stored.message = next;
    this.events.emit('message', { kind: 'update', stored } satisfies MessageEvent);
    return stored;
  }

  deleteMessage(stored: StoredMessage): void {
    if (stored.deleted) return;
    stored.deleted = true;
    this.events.emit('message', { kind: 'delete', stored } satisfies MessageEvent);
  }

  /** Bot-visible messages of a channel in creation order. */
  messagesOf(channelId: string, options: { includeDeleted?: boolean } = {}): StoredMessage[] {
    return [...this.messages.values()]
      .filter((s) => s.message.channel_id === channelId && (options.includeDeleted || !s.deleted))
      .sort((a, b) => (BigInt(a.message.id) < BigInt(b.message.id) ? -1 : 1));
  }

  #mentions(channel: ChannelState | undefined, body: JsonObject, repliedTo: APIMessage | undefined): Pick<APIMessage, 'mentions' | 'mention_roles' | 'mention_everyone'> {
    const content = typeof body.content === 'string' ? body.content : '';
    const allowed = isObject(body.allowed_mentions) ? body.allowed_mentions : undefined;
    const parse = allowed ? (Array.isArray(allowed.parse) ? (allowed.parse as string[]) : []) : ['users', 'roles', 'everyone'];
    const allowedUsers = allowed && Array.isArray(allowed.users) ? (allowed.users as string[]) : [];
    const allowedRoles = allowed && Array.isArray(allowed.roles) ? (allowed.roles as string[]) : [];
    const mentions: APIUser[] = [];
    for (const match of content.matchAll(MENTION_USER)) {
      const id = match[1] ?? '';
      const user = this.users.get(id);
      if (user && (parse.includes('users') || allowedUsers.includes(id)) && !mentions.some((u) => u.id === id)) mentions.push(user);
    }
    if (repliedTo && (allowed ? allowed.replied_user === true : true) && !mentions.some((u) => u.id === repliedTo.author.id)) {
      mentions.push(repliedTo.author);
    }
    const mentionRoles: string[] = [];
    for (const match of content.matchAll(MENTION_ROLE)) {
      const id = match[1] ?? '';
      if ((parse.includes('roles') || allowedRoles.includes(id)) && !mentionRoles.includes(id)) mentionRoles.push(id);
    }
    const everyone =
      MENTION_EVERYONE.test(content) &&
      parse.includes('everyone') &&
      (channel === undefined || this.botCan(channel.id, PermissionFlagsBits.MentionEveryone));
    return { mentions, mention_roles: mentionRoles, mention_everyone: everyone };
  }

  #resolveAttachments(
    channelId: string,
    body: JsonObject,
    files: RecordedFile[],
    existing: APIAttachment[],
    store: Map<string, RecordedFile>,
  ): APIAttachment[] {
    const specs = Array.isArray(body.attachments) ? (body.attachments as JsonObject[]) : undefined;
    const result: APIAttachment[] = [];
    const used = new Set<RecordedFile>();
    const fileForIndex = (index: string): RecordedFile | undefined =>
      files.find((f) => f.field === `files[${index}]`) ?? files[Number(index)];
    if (specs) {
      for (const spec of specs) {
        const specId = String(spec.id);
        const kept = existing.find((a) => a.id === specId);
        if (kept) {
          result.push(kept);
          continue;
        }
        const file = fileForIndex(specId);
        if (!file) continue;
        used.add(file);
        result.push(this.#attachment(channelId, file, store, typeof spec.description === 'string' ? spec.description : undefined, typeof spec.filename === 'string' ? spec.filename : undefined));
      }
    } else {
      result.push(...existing);
    }
    for (const file of files) {
      if (!used.has(file)) result.push(this.#attachment(channelId, file, store));
    }
    return result;
  }

  #attachment(channelId: string, file: RecordedFile, store: Map<string, RecordedFile>, description?: string, filename?: string): APIAttachment {
    const id = nextSnowflake();
    const name = filename ?? file.name;
    store.set(id, file);
    const url = `${this.origin}/attachments/${channelId}/${id}/${encodeURIComponent(name)}`;
    const attachment: APIAttachment = { id, filename: name, size: file.size, url, proxy_url: url, content_type: file.contentType };
    if (description) attachment.description = description;
    return attachment;
  }

  #attachInteractionMetadata(message: APIMessage, interaction: InteractionRecord, source: MessageSource): void {
    const metadata: JsonObject = {
      id: interaction.id,
      type: interaction.type,
      user: interaction.user,
      authorizing_integration_owners: interaction.guildId ? { '0': interaction.guildId } : { '0': '0' },
    };
    if (interaction.commandName) {
      metadata.name = interaction.commandName;
      metadata.command_type = interaction.commandType ?? 1;
    }
    if (interaction.componentMessageId) metadata.interacted_message_id = interaction.componentMessageId;
    if (source === 'followup' && interaction.originalMessageId) metadata.original_response_message_id = interaction.originalMessageId;
    (message as unknown as JsonObject).interaction_metadata = metadata;
    if (interaction.commandName) {
      (message as unknown as JsonObject).interaction = { id: interaction.id, type: interaction.type, name: interaction.commandName, user: interaction.user };
    }
  }

  /** A MESSAGE_CREATE / MESSAGE_UPDATE payload: the message plus `guild_id` and the author's partial `member`. */
  toGatewayMessage(stored: StoredMessage): JsonObject {
    const message = stored.message;
    const channel = this.channels.get(message.channel_id);
    const payload: JsonObject = { ...message };
    if (channel?.guildId) {
      payload.guild_id = channel.guildId;
      const member = this.member(channel.guildId, message.author.id);
      if (member && !message.webhook_id) {
        const { user: _user, ...partial } = toApiMember(member);
        payload.member = partial;
      }
      payload.mentions = message.mentions.map((user) => {
        const m = this.member(channel.guildId ?? '', user.id);
        if (!m) return user;
        const { user: _u, ...partial } = toApiMember(m);
        return { ...user, member: partial };
      });
    }
    if (channel) payload.channel_type = channel.type;
    return payload;
  }

  // -------------------------------------------------------------------------------------------
  // Application commands
  // -------------------------------------------------------------------------------------------

  commandMap(guildId: string | null): Map<string, APIApplicationCommand> {
    if (guildId === null) return this.globalCommands;
    let map = this.guildCommands.get(guildId);
    if (!map) {
      map = new Map();
      this.guildCommands.set(guildId, map);
    }
    return map;
  }

  /** Creates or (same name and type) replaces a command, keeping its id like Discord does. */
  upsertCommand(guildId: string | null, body: JsonObject, existingId?: string): APIApplicationCommand {
    const map = this.commandMap(guildId);
    const type = typeof body.type === 'number' ? body.type : 1;
    const previous = existingId
      ? map.get(existingId)
      : [...map.values()].find((c) => c.name === body.name && (c.type ?? 1) === type);
    const command = {
      id: previous?.id ?? nextSnowflake(),
      application_id: this.applicationId,
      version: nextSnowflake(),
      type,
      name: body.name,
      name_localizations: body.name_localizations ?? null,
      description: typeof body.description === 'string' ? body.description : '',
      description_localizations: body.description_localizations ?? null,
      default_member_permissions:
        body.default_member_permissions === undefined || body.default_member_permissions === null
          ? null
          : String(body.default_member_permissions),
      nsfw: body.nsfw === true,
      contexts: Array.isArray(body.contexts) ? body.contexts : null,
      integration_types: Array.isArray(body.integration_types) ? body.integration_types : [0],
      ...(Array.isArray(body.options) ? { options: structuredClone(body.options) } : {}),
      ...(guildId === null ? { dm_permission: body.dm_permission !== false } : { guild_id: guildId }),
    } as unknown as APIApplicationCommand;
    map.set(command.id, command);
    return command;
  }

  /** PUT semantics: the body becomes the whole list; unchanged names keep their ids. */
  overwriteCommands(guildId: string | null, body: JsonObject[]): APIApplicationCommand[] {
    const map = this.commandMap(guildId);
    const previous = new Map(map);
    map.clear();
    return body.map((command) => {
      const type = typeof command.type === 'number' ? command.type : 1;
      const old = [...previous.values()].find((c) => c.name === command.name && (c.type ?? 1) === type);
      if (old) map.set(old.id, old);
      return this.upsertCommand(guildId, command, old?.id);
    });
  }

  /** The registered command a user would invoke in this guild: guild commands shadow global ones. */
  findCommand(name: string, guildId: string | null, type = 1): APIApplicationCommand | undefined {
    const matches = (c: APIApplicationCommand) => c.name === name && (c.type ?? 1) === type;
    if (guildId) {
      const guildCommand = [...(this.guildCommands.get(guildId)?.values() ?? [])].find(matches);
      if (guildCommand) return guildCommand;
    }
    return [...this.globalCommands.values()].find(matches);
  }

  hasAnyCommands(guildId: string | null): boolean {
    return this.globalCommands.size > 0 || (guildId !== null && (this.guildCommands.get(guildId)?.size ?? 0) > 0);
  }

  syntheticCommandId(name: string): string {
    let id = this.#syntheticCommandIds.get(name);
    if (!id) {
      id = nextSnowflake();
      this.#syntheticCommandIds.set(name, id);
    }
    return id;
  }

  // -------------------------------------------------------------------------------------------
  // Interactions
  // -------------------------------------------------------------------------------------------

  registerInteraction(record: InteractionRecord): void {
    this.interactions.set(record.token, record);
    this.interactionsById.set(record.id, record);
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Discord fills in `type: "rich"` and keeps the rest. */
function normalizeEmbeds(embeds: unknown): APIMessage['embeds'] {
  if (!Array.isArray(embeds)) return [];
  return embeds.filter(isObject).map((embed) => ({ type: 'rich', ...structuredClone(embed) })) as APIMessage['embeds'];
}
