/**
 * REST route handlers: gateway info, users, applications and commands, interaction callbacks,
 * interaction webhooks, channels, messages, threads, guilds.
 */
import { ChannelType, GatewayIntentBits, InteractionResponseType, InteractionType, MessageFlags, MessageType, PermissionFlagsBits } from 'discord.js';
import type { APIUser } from 'discord.js';
import { DiscordErrors, DiscordHttpError, type FieldError } from './errors.js';
import { isThreadOnlyKind, toApiChannel, toApiGuild, toApiMember, toApiRole } from './fixtures.js';
import type { Route, RouteContext, RouteResult } from './http.js';
import { isObject, type ChannelState, type DoubleState, type InteractionRecord, type JsonObject, type StoredMessage } from './state.js';
import { isEmptyMessage, validateAutocompleteChoices, validateCommand, validateCommandList, validateMessageBody, validateModal } from './validation.js';

const P = PermissionFlagsBits;

export interface RouteEnvironment {
  state: DoubleState;
  /** `ws://127.0.0.1:PORT` */
  gatewayUrl(): string;
  allowedPrivilegedIntents(): number;
  applicationFlags: number;
  applicationName: string;
  applicationOwner: APIUser;
  /** What GET /gateway/bot recommends: how many shards, and how many may identify at once. */
  sharding: { shards: number; maxConcurrency: number };
}

export function buildRoutes(env: RouteEnvironment): Route[] {
  const { state } = env;
  const ok = (body?: unknown, status = 200): RouteResult => ({ status, body });
  const noContent = (): RouteResult => ({ status: 204 });

  // ---- helpers ------------------------------------------------------------------------------

  const jsonBody = (ctx: RouteContext): JsonObject => (isObject(ctx.body) ? ctx.body : {});

  const channelOr404 = (id: string): ChannelState => {
    const channel = state.channels.get(id);
    if (!channel) throw DiscordErrors.unknownChannel();
    return channel;
  };

  /** 50001 without View Channel, 50013 without the rest. */
  const requireBot = (channel: ChannelState, ...permissions: bigint[]): void => {
    const has = state.permissionsIn(channel.id, state.botUser.id);
    if ((has & P.ViewChannel) === 0n) throw DiscordErrors.missingAccess();
    for (const permission of permissions) if ((has & permission) !== permission) throw DiscordErrors.missingPermissions();
  };

  const messageOr404 = (channelId: string, messageId: string): StoredMessage => {
    const stored = state.messages.get(messageId);
    if (!stored || stored.deleted || stored.message.channel_id !== channelId) throw DiscordErrors.unknownMessage();
    return stored;
  };

  const validate = (errors: FieldError[]): void => {
    if (errors.length > 0) throw DiscordErrors.invalidFormBody(errors);
  };

  /** `prefix` places errors inside the body, e.g. `data` for interaction callbacks. */
  const prefixed = (errors: FieldError[], prefix: string[]): FieldError[] => errors.map((e) => ({ ...e, path: [...prefix, ...e.path] }));

  const validateNewMessage = (body: JsonObject, fileCount: number, prefix: string[] = []): void => {
    validate(prefixed(validateMessageBody(body), prefix));
    if (isEmptyMessage(body, fileCount)) throw DiscordErrors.cannotSendEmptyMessage();
  };

  const validateEdit = (stored: StoredMessage, body: JsonObject, fileCount: number, prefix: string[] = []): void => {
    validate(prefixed(validateMessageBody(body), prefix));
    const merged: JsonObject = {
      content: 'content' in body ? body.content : stored.message.content,
      embeds: 'embeds' in body ? body.embeds : stored.message.embeds,
      components: 'components' in body ? body.components : stored.message.components,
    };
    const keptAttachments = 'attachments' in body ? (Array.isArray(body.attachments) ? body.attachments.length : 0) : stored.message.attachments.length;
    if (isEmptyMessage(merged, fileCount + keptAttachments)) throw DiscordErrors.cannotSendEmptyMessage();
  };

  const sendPermission = (channel: ChannelState): bigint => (channel.thread ? P.SendMessagesInThreads : P.SendMessages);

  const application = (): JsonObject => ({
    id: state.applicationId,
    name: env.applicationName,
    icon: null,
    description: '',
    summary: '',
    type: null,
    hook: true,
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: env.applicationFlags,
    owner: env.applicationOwner,
    team: null,
    bot: state.botUser,
    redirect_uris: [],
    interactions_endpoint_url: null,
    integration_types_config: { '0': {} },
    approximate_guild_count: state.guilds.size,
    is_monetized: false,
  });

  const checkApp = (appId: string | undefined): void => {
    if (appId !== state.applicationId) {
      throw new DiscordHttpError(403, { message: 'You are not authorized to perform this action on this application', code: 20012 });
    }
  };

  const commandGuild = (guildId: string | undefined): string => {
    if (!guildId || !state.guilds.has(guildId)) throw DiscordErrors.missingAccess();
    return guildId;
  };

  // ---- interactions -------------------------------------------------------------------------

  const interactionByToken = (appId: string | undefined, token: string | undefined): InteractionRecord => {
    const record = token ? state.interactions.get(token) : undefined;
    if (appId !== state.applicationId || !record || !record.callback) throw DiscordErrors.unknownWebhook();
    return record;
  };

  const interactionMessage = (record: InteractionRecord, messageId: string | undefined): StoredMessage => {
    const id = messageId === '@original' ? record.originalMessageId : messageId;
    if (!id || (id !== record.originalMessageId && !record.followUpIds.includes(id))) throw DiscordErrors.unknownMessage();
    const stored = state.messages.get(id);
    if (!stored || stored.deleted) throw DiscordErrors.unknownMessage();
    return stored;
  };

  /** Files sent with an interaction's token may be as large as its `attachment_size_limit`, no larger. */
  const checkUploadSizes = (record: InteractionRecord, ctx: RouteContext): void => {
    const limit = record.payload.attachment_size_limit;
    if (typeof limit === 'number' && ctx.files.some((file) => file.size > limit)) throw DiscordErrors.requestEntityTooLarge();
  };

  const allowedCallbacks: Record<number, number[]> = {
    [InteractionType.ApplicationCommand]: [4, 5, 9, 10, 12],
    [InteractionType.MessageComponent]: [4, 5, 6, 7, 9, 10],
    [InteractionType.ApplicationCommandAutocomplete]: [8],
    [InteractionType.ModalSubmit]: [4, 5, 6, 7],
  };

  const responseMessageType = (record: InteractionRecord): MessageType => {
    if (record.commandType === 1) return MessageType.ChatInputCommand;
    if (record.commandType === 2 || record.commandType === 3) return MessageType.ContextMenuCommand;
    return MessageType.Default;
  };

  const componentMessage = (record: InteractionRecord): StoredMessage => {
    const id = record.componentMessageId;
    const existing = id ? state.messages.get(id) : undefined;
    if (existing) return existing;
    const message = record.payload.message;
    if (!isObject(message) || typeof message.id !== 'string') throw DiscordErrors.unknownMessage();
    // A message the test made up: store it so it can be updated.
    const stored: StoredMessage = { message: structuredClone(message) as unknown as StoredMessage['message'], history: [], deleted: false, source: 'channel', files: new Map() };
    state.messages.set(message.id, stored);
    return stored;
  };

  const interactionCallback = (ctx: RouteContext): RouteResult => {
    const record = state.interactions.get(ctx.params.token ?? '');
    if (!record || record.id !== ctx.params.interactionId) throw DiscordErrors.unknownInteraction();
    if (record.callback) throw DiscordErrors.interactionAlreadyAcknowledged();
    if (Date.now() > record.deadlineAt) throw DiscordErrors.unknownInteraction();
    const body = jsonBody(ctx);
    const type = body.type;
    if (typeof type !== 'number' || !(allowedCallbacks[record.type] ?? []).includes(type)) {
      validate([{ path: ['type'], code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Interaction response type ${String(type)} is invalid for interaction type ${record.type}` }]);
    }
    if ((type === 6 || type === 7) && record.type === InteractionType.ModalSubmit && !record.componentMessageId) {
      validate([{ path: ['type'], code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'This modal was not opened from a message component' }]);
    }
    checkUploadSizes(record, ctx);
    const data = isObject(body.data) ? body.data : {};
    const flags = typeof data.flags === 'number' ? data.flags : 0;
    let message: StoredMessage | undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        validateNewMessage(data, ctx.files.length, ['data']);
        message = state.createMessage({
          channelId: record.channelId ?? '',
          author: state.botUser,
          body: data,
          files: ctx.files,
          source: 'interaction',
          type: responseMessageType(record),
          interaction: record,
          webhookId: state.applicationId,
        });
        record.originalMessageId = message.message.id;
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        message = state.createMessage({
          channelId: record.channelId ?? '',
          author: state.botUser,
          body: { content: '', flags: MessageFlags.Loading | (flags & MessageFlags.Ephemeral) },
          source: 'interaction',
          type: responseMessageType(record),
          interaction: record,
          webhookId: state.applicationId,
        });
        record.originalMessageId = message.message.id;
        record.loading = true;
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        record.originalMessageId = componentMessage(record).message.id;
        break;
      case InteractionResponseType.UpdateMessage: {
        const target = componentMessage(record);
        validateEdit(target, data, ctx.files.length, ['data']);
        message = state.editMessage(target, data, ctx.files);
        record.originalMessageId = target.message.id;
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
        validate(validateAutocompleteChoices(data));
        break;
      case InteractionResponseType.Modal:
        validate(prefixed(validateModal(data), ['data']));
        break;
      default:
        break;
    }
    record.callback = { type: type as number, ...(isObject(body.data) ? { data: body.data } : {}), at: Date.now() };
    if (ctx.query.with_response === 'true') {
      const current = message ?? (record.originalMessageId ? state.messages.get(record.originalMessageId) : undefined);
      return ok({
        interaction: {
          id: record.id,
          type: record.type,
          ...(current && type !== 6
            ? {
                response_message_id: current.message.id,
                response_message_loading: ((current.message.flags ?? 0) & MessageFlags.Loading) !== 0,
                response_message_ephemeral: ((current.message.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
              }
            : {}),
        },
        resource: { type, ...(current && (type === 4 || type === 7) ? { message: current.message } : {}) },
      });
    }
    return noContent();
  };

  const followUp = (ctx: RouteContext): RouteResult => {
    const record = interactionByToken(ctx.params.applicationId, ctx.params.token);
    checkUploadSizes(record, ctx);
    const body = jsonBody(ctx);
    const original = record.originalMessageId ? state.messages.get(record.originalMessageId) : undefined;
    // Documented compatibility behaviour: the first follow-up after a deferred (type 5) response
    // edits the loading message instead of creating a new one; the ephemeral flag stays as deferred.
    if (record.loading && record.callback?.type === 5 && record.followUpIds.length === 0 && original && !original.deleted) {
      validateEdit(original, body, ctx.files.length);
      if (isEmptyMessage(body, ctx.files.length)) throw DiscordErrors.cannotSendEmptyMessage();
      record.loading = false;
      return ok(state.editMessage(original, body, ctx.files).message);
    }
    validateNewMessage(body, ctx.files.length);
    const created = state.createMessage({
      channelId: record.channelId ?? '',
      author: state.botUser,
      body: { ...body, flags: (typeof body.flags === 'number' ? body.flags : 0) & (MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2) },
      files: ctx.files,
      source: 'followup',
      interaction: record,
      webhookId: state.applicationId,
    });
    record.followUpIds.push(created.message.id);
    return ok(created.message);
  };

  // ---- channels & messages ------------------------------------------------------------------

  const listMessages = (ctx: RouteContext): RouteResult => {
    const channel = channelOr404(ctx.params.channelId ?? '');
    requireBot(channel, P.ReadMessageHistory);
    const limit = Math.min(Math.max(Number(ctx.query.limit ?? 50) || 50, 1), 100);
    let messages = state
      .messagesOf(channel.id)
      .filter((s) => ((s.message.flags ?? 0) & MessageFlags.Ephemeral) === 0)
      .map((s) => s.message);
    const { before, after, around } = ctx.query;
    if (before) messages = messages.filter((m) => BigInt(m.id) < BigInt(before));
    if (after) messages = messages.filter((m) => BigInt(m.id) > BigInt(after));
    if (around) {
      const index = messages.findIndex((m) => BigInt(m.id) >= BigInt(around));
      const start = Math.max(0, index - Math.floor(limit / 2));
      messages = messages.slice(start, start + limit);
    }
    // Newest first, like Discord.
    return ok(messages.reverse().slice(0, limit));
  };

  const createChannelMessage = (ctx: RouteContext): RouteResult => {
    const channel = channelOr404(ctx.params.channelId ?? '');
    if (channel.fixture && (channel.type === ChannelType.GuildCategory || isThreadOnlyKind(channel.type))) throw DiscordErrors.invalidChannelType();
    requireBot(channel, sendPermission(channel), ...(ctx.files.length > 0 ? [P.AttachFiles] : []));
    const body = jsonBody(ctx);
    validateNewMessage(body, ctx.files.length);
    if (isObject(body.message_reference) && typeof body.message_reference.message_id === 'string') {
      const target = state.messages.get(body.message_reference.message_id);
      if ((!target || target.deleted) && body.message_reference.fail_if_not_exists !== false) {
        validate([{ path: ['message_reference'], code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }]);
      }
    }
    // Only these flags can be set on a channel message (no ephemeral outside interactions).
    const flags = (typeof body.flags === 'number' ? body.flags : 0) & (MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2);
    // enforce_nonce: the author's message with the same nonce, created in the last few minutes, is returned and nothing is posted.
    if (body.enforce_nonce === true && (typeof body.nonce === 'string' || typeof body.nonce === 'number')) {
      const earlier = state.recentMessageWithNonce(state.botUser.id, body.nonce);
      if (earlier) return ok(earlier.message);
    }
    const stored = state.createMessage({ channelId: channel.id, author: state.botUser, body: { ...body, flags }, files: ctx.files, source: 'channel' });
    return ok(stored.message);
  };

  const editChannelMessage = (ctx: RouteContext): RouteResult => {
    const channel = channelOr404(ctx.params.channelId ?? '');
    requireBot(channel);
    const stored = messageOr404(channel.id, ctx.params.messageId ?? '');
    if (stored.message.author.id !== state.botUser.id) throw DiscordErrors.cannotEditOtherUsersMessage();
    const body = jsonBody(ctx);
    validateEdit(stored, body, ctx.files.length);
    return ok(state.editMessage(stored, body, ctx.files).message);
  };

  const deleteChannelMessage = (ctx: RouteContext): RouteResult => {
    const channel = channelOr404(ctx.params.channelId ?? '');
    requireBot(channel);
    const stored = messageOr404(channel.id, ctx.params.messageId ?? '');
    if (stored.message.author.id !== state.botUser.id) requireBot(channel, P.ManageMessages);
    state.deleteMessage(stored);
    return noContent();
  };

  const threadName = (body: JsonObject): string => {
    const name = body.name;
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
      validate([{ path: ['name'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }]);
    }
    return name as string;
  };

  const threadFromMessage = (ctx: RouteContext): RouteResult => {
    const channel = channelOr404(ctx.params.channelId ?? '');
    if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) throw DiscordErrors.invalidChannelType();
    requireBot(channel, P.CreatePublicThreads, P.ReadMessageHistory);
    const stored = messageOr404(channel.id, ctx.params.messageId ?? '');
    if (stored.message.thread || state.channels.has(stored.message.id)) throw DiscordErrors.threadAlreadyCreated();
    const body = jsonBody(ctx);
    const name = threadName(body);
    const thread = state.createThread({
      parent: channel,
      id: stored.message.id, // threads started from a message share its id
      name,
      type: channel.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread,
      ownerId: state.botUser.id,
      autoArchiveDuration: typeof body.auto_archive_duration === 'number' ? body.auto_archive_duration : 4320,
      rateLimitPerUser: typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0,
    });
    const api = state.channelToApi(thread);
    stored.message = { ...stored.message, thread: api as StoredMessage['message']['thread'], flags: (stored.message.flags ?? 0) | MessageFlags.HasThread };
    return ok(api, 201);
  };

  /**
   * The tags a post may carry, as Discord checks them: tags of its forum, at most 5, a moderated one only with
   * Manage Threads.
   */
  const appliedTags = (forum: ChannelState, value: unknown): string[] => {
    if (!Array.isArray(value) || value.some((id) => typeof id !== 'string')) {
      validate([{ path: ['applied_tags'], code: 'BASE_TYPE_ARRAY', message: 'Must be an array of snowflakes.' }]);
    }
    const ids = [...new Set(value as string[])];
    if (ids.length > 5) validate([{ path: ['applied_tags'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' }]);
    const tags = forum.fixture?.availableTags ?? [];
    for (const [index, id] of ids.entries()) {
      const tag = tags.find((t) => t.id === id);
      if (!tag) validate([{ path: ['applied_tags', index], code: 'CHANNEL_TAG_INVALID', message: 'The tag is not available in this channel.' }]);
      if (tag?.moderated) requireBot(forum, P.ManageThreads);
    }
    return ids;
  };

  const threadWithoutMessage = (ctx: RouteContext): RouteResult => {
    const channel = channelOr404(ctx.params.channelId ?? '');
    const body = jsonBody(ctx);
    const name = threadName(body);
    if (isThreadOnlyKind(channel.type)) {
      requireBot(channel, P.SendMessages);
      const starter = isObject(body.message) ? body.message : {};
      validateNewMessage(starter, ctx.files.length);
      const tags = body.applied_tags === undefined ? [] : appliedTags(channel, body.applied_tags);
      const thread = state.createThread({ parent: channel, name, type: ChannelType.PublicThread, ownerId: state.botUser.id, appliedTags: tags });
      const message = state.createMessage({ id: thread.id, channelId: thread.id, author: state.botUser, body: starter, files: ctx.files, source: 'channel' });
      return ok({ ...state.channelToApi(thread), message: message.message }, 201);
    }
    if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) throw DiscordErrors.invalidChannelType();
    const type = body.type === ChannelType.PrivateThread ? ChannelType.PrivateThread : channel.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
    requireBot(channel, type === ChannelType.PrivateThread ? P.CreatePrivateThreads : P.CreatePublicThreads);
    const thread = state.createThread({
      parent: channel,
      name,
      type,
      ownerId: state.botUser.id,
      autoArchiveDuration: typeof body.auto_archive_duration === 'number' ? body.auto_archive_duration : 4320,
      invitable: body.invitable !== false,
    });
    return ok(state.channelToApi(thread), 201);
  };

  const editChannel = (ctx: RouteContext): RouteResult => {
    const channel = channelOr404(ctx.params.channelId ?? '');
    const body = jsonBody(ctx);
    if (channel.thread) {
      if (channel.thread.ownerId !== state.botUser.id) requireBot(channel, P.ManageThreads);
      else requireBot(channel);
      if (typeof body.name === 'string') channel.thread.name = threadName(body);
      if (typeof body.archived === 'boolean') channel.thread.archived = body.archived;
      if (typeof body.locked === 'boolean') {
        if (body.locked) requireBot(channel, P.ManageThreads);
        channel.thread.locked = body.locked;
      }
      if (typeof body.auto_archive_duration === 'number') channel.thread.autoArchiveDuration = body.auto_archive_duration;
      if (body.applied_tags !== undefined) {
        const forum = state.channels.get(channel.thread.parentId);
        if (!forum || !state.isPost(channel)) validate([{ path: ['applied_tags'], code: 'CHANNEL_TAGS_UNSUPPORTED', message: 'Only posts in forum and media channels have tags.' }]);
        channel.thread.appliedTags = appliedTags(forum!, body.applied_tags);
      }
      state.events.emit('thread-update', channel);
      return ok(state.channelToApi(channel));
    }
    if (channel.fixture) {
      requireBot(channel, P.ManageChannels);
      if (typeof body.name === 'string') channel.fixture.name = body.name;
      if (typeof body.topic === 'string' || body.topic === null) channel.fixture.topic = body.topic;
      return ok(state.channelToApi(channel));
    }
    throw DiscordErrors.invalidChannelType();
  };

  const reaction = (ctx: RouteContext, add: boolean): RouteResult => {
    const channel = channelOr404(ctx.params.channelId ?? '');
    requireBot(channel, P.ReadMessageHistory, ...(add ? [P.AddReactions] : []));
    const stored = messageOr404(channel.id, ctx.params.messageId ?? '');
    const emoji = ctx.params.emoji ?? '';
    const reactions = [...(stored.message.reactions ?? [])];
    const index = reactions.findIndex((r) => (r.emoji.id ? `${r.emoji.name}:${r.emoji.id}` : r.emoji.name) === emoji);
    if (add && index < 0) {
      const [name, id] = emoji.split(':');
      reactions.push({ count: 1, count_details: { burst: 0, normal: 1 }, me: true, me_burst: false, burst_colors: [], emoji: { id: id ?? null, name: name ?? emoji } });
    } else if (!add && index >= 0) {
      reactions.splice(index, 1);
    }
    stored.message = { ...stored.message, reactions };
    return noContent();
  };

  // ---- guilds -------------------------------------------------------------------------------

  const guildOr404 = (guildId: string | undefined) => {
    const guild = guildId ? state.guilds.get(guildId) : undefined;
    if (!guild) throw DiscordErrors.unknownGuild();
    return guild;
  };

  const guildToApi = (guildId: string | undefined): JsonObject => {
    const guild = guildOr404(guildId);
    return toApiGuild(guild, state.defaultTextChannel(guild.id)?.id ?? null);
  };

  const requireMembersIntent = (): void => {
    if ((env.allowedPrivilegedIntents() & GatewayIntentBits.GuildMembers) === 0) throw DiscordErrors.missingAccess();
  };

  // ---- route table --------------------------------------------------------------------------

  const route = (method: string, pattern: string, handle: Route['handle'], auth = true): Route => ({ method, pattern, handle, auth });

  return [
    route('GET', '/gateway', () => ok({ url: env.gatewayUrl() }), false),
    route('GET', '/gateway/bot', () =>
      ok({
        url: env.gatewayUrl(),
        shards: env.sharding.shards,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: env.sharding.maxConcurrency },
      }),
    ),

    route('GET', '/users/@me', () => ok({ ...state.botUser, verified: true, mfa_enabled: false, email: null, locale: 'en-US' })),
    route('POST', '/users/@me/channels', (ctx) => {
      const recipientId = jsonBody(ctx).recipient_id;
      const user = typeof recipientId === 'string' ? state.users.get(recipientId) : undefined;
      if (!user) throw DiscordErrors.unknownUser();
      return ok(state.channelToApi(state.dmChannelFor(user)));
    }),
    route('GET', '/users/:userId', (ctx) => {
      const user = state.users.get(ctx.params.userId ?? '');
      if (!user) throw DiscordErrors.unknownUser();
      return ok(user);
    }),

    route('GET', '/applications/@me', () => ok(application())),
    route('GET', '/oauth2/applications/@me', () => ok(application())),

    // Global commands
    route('GET', '/applications/:applicationId/commands', (ctx) => {
      checkApp(ctx.params.applicationId);
      return ok([...state.globalCommands.values()]);
    }),
    route('PUT', '/applications/:applicationId/commands', (ctx) => {
      checkApp(ctx.params.applicationId);
      validate(validateCommandList(ctx.body));
      return ok(state.overwriteCommands(null, ctx.body as JsonObject[]));
    }),
    route('POST', '/applications/:applicationId/commands', (ctx) => {
      checkApp(ctx.params.applicationId);
      validate(validateCommand(ctx.body));
      const body = jsonBody(ctx);
      const existed = state.findCommand(String(body.name), null, typeof body.type === 'number' ? body.type : 1) !== undefined;
      return ok(state.upsertCommand(null, body), existed ? 200 : 201);
    }),
    route('GET', '/applications/:applicationId/commands/:commandId', (ctx) => {
      checkApp(ctx.params.applicationId);
      const command = state.globalCommands.get(ctx.params.commandId ?? '');
      if (!command) throw DiscordErrors.unknownApplicationCommand();
      return ok(command);
    }),
    route('PATCH', '/applications/:applicationId/commands/:commandId', (ctx) => {
      checkApp(ctx.params.applicationId);
      const command = state.globalCommands.get(ctx.params.commandId ?? '');
      if (!command) throw DiscordErrors.unknownApplicationCommand();
      const merged = { ...(command as unknown as JsonObject), ...jsonBody(ctx) };
      validate(validateCommand(merged));
      return ok(state.upsertCommand(null, merged, command.id));
    }),
    route('DELETE', '/applications/:applicationId/commands/:commandId', (ctx) => {
      checkApp(ctx.params.applicationId);
      if (!state.globalCommands.delete(ctx.params.commandId ?? '')) throw DiscordErrors.unknownApplicationCommand();
      return noContent();
    }),

    // Guild commands
    route('GET', '/applications/:applicationId/guilds/:guildId/commands', (ctx) => {
      checkApp(ctx.params.applicationId);
      return ok([...state.commandMap(commandGuild(ctx.params.guildId)).values()]);
    }),
    route('PUT', '/applications/:applicationId/guilds/:guildId/commands', (ctx) => {
      checkApp(ctx.params.applicationId);
      const guildId = commandGuild(ctx.params.guildId);
      validate(validateCommandList(ctx.body));
      return ok(state.overwriteCommands(guildId, ctx.body as JsonObject[]));
    }),
    route('POST', '/applications/:applicationId/guilds/:guildId/commands', (ctx) => {
      checkApp(ctx.params.applicationId);
      const guildId = commandGuild(ctx.params.guildId);
      validate(validateCommand(ctx.body));
      const body = jsonBody(ctx);
      const existed = [...state.commandMap(guildId).values()].some((c) => c.name === body.name);
      return ok(state.upsertCommand(guildId, body), existed ? 200 : 201);
    }),
    route('GET', '/applications/:applicationId/guilds/:guildId/commands/:commandId', (ctx) => {
      checkApp(ctx.params.applicationId);
      const command = state.commandMap(commandGuild(ctx.params.guildId)).get(ctx.params.commandId ?? '');
      if (!command) throw DiscordErrors.unknownApplicationCommand();
      return ok(command);
    }),
    route('PATCH', '/applications/:applicationId/guilds/:guildId/commands/:commandId', (ctx) => {
      checkApp(ctx.params.applicationId);
      const guildId = commandGuild(ctx.params.guildId);
      const command = state.commandMap(guildId).get(ctx.params.commandId ?? '');
      if (!command) throw DiscordErrors.unknownApplicationCommand();
      const merged = { ...(command as unknown as JsonObject), ...jsonBody(ctx) };
      validate(validateCommand(merged));
      return ok(state.upsertCommand(guildId, merged, command.id));
    }),
    route('DELETE', '/applications/:applicationId/guilds/:guildId/commands/:commandId', (ctx) => {
      checkApp(ctx.params.applicationId);
      if (!state.commandMap(commandGuild(ctx.params.guildId)).delete(ctx.params.commandId ?? '')) throw DiscordErrors.unknownApplicationCommand();
      return noContent();
    }),

    // Interactions (no bot auth: the token in the URL is the credential)
    route('POST', '/interactions/:interactionId/:token/callback', interactionCallback, false),
    route('POST', '/webhooks/:applicationId/:token', followUp, false),
    route('GET', '/webhooks/:applicationId/:token/messages/:messageId', (ctx) => {
      const record = interactionByToken(ctx.params.applicationId, ctx.params.token);
      return ok(interactionMessage(record, ctx.params.messageId).message);
    }, false),
    route('PATCH', '/webhooks/:applicationId/:token/messages/:messageId', (ctx) => {
      const record = interactionByToken(ctx.params.applicationId, ctx.params.token);
      checkUploadSizes(record, ctx);
      const stored = interactionMessage(record, ctx.params.messageId);
      const body = jsonBody(ctx);
      validateEdit(stored, body, ctx.files.length);
      if (stored.message.id === record.originalMessageId) record.loading = false;
      return ok(state.editMessage(stored, body, ctx.files).message);
    }, false),
    route('DELETE', '/webhooks/:applicationId/:token/messages/:messageId', (ctx) => {
      const record = interactionByToken(ctx.params.applicationId, ctx.params.token);
      state.deleteMessage(interactionMessage(record, ctx.params.messageId));
      return noContent();
    }, false),

    // Channels
    route('GET', '/channels/:channelId', (ctx) => {
      const channel = channelOr404(ctx.params.channelId ?? '');
      requireBot(channel);
      return ok(state.channelToApi(channel));
    }),
    route('PATCH', '/channels/:channelId', editChannel),
    route('GET', '/channels/:channelId/messages', listMessages),
    route('POST', '/channels/:channelId/messages', createChannelMessage),
    route('GET', '/channels/:channelId/messages/:messageId', (ctx) => {
      const channel = channelOr404(ctx.params.channelId ?? '');
      requireBot(channel, P.ReadMessageHistory);
      return ok(messageOr404(channel.id, ctx.params.messageId ?? '').message);
    }),
    route('PATCH', '/channels/:channelId/messages/:messageId', editChannelMessage),
    route('DELETE', '/channels/:channelId/messages/:messageId', deleteChannelMessage),
    route('POST', '/channels/:channelId/messages/:messageId/threads', threadFromMessage),
    route('POST', '/channels/:channelId/threads', threadWithoutMessage),
    route('PUT', '/channels/:channelId/thread-members/@me', (ctx) => {
      requireBot(channelOr404(ctx.params.channelId ?? ''));
      return noContent();
    }),
    route('DELETE', '/channels/:channelId/thread-members/@me', (ctx) => {
      channelOr404(ctx.params.channelId ?? '');
      return noContent();
    }),
    route('POST', '/channels/:channelId/typing', (ctx) => {
      const channel = channelOr404(ctx.params.channelId ?? '');
      requireBot(channel, sendPermission(channel));
      return noContent();
    }),
    route('PUT', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', (ctx) => reaction(ctx, true)),
    route('DELETE', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', (ctx) => reaction(ctx, false)),

    // Guilds
    route('GET', '/guilds/:guildId', (ctx) => ok(guildToApi(ctx.params.guildId))),
    route('GET', '/guilds/:guildId/channels', (ctx) => {
      const guild = guildOr404(ctx.params.guildId);
      return ok(guild.channels.map((c) => toApiChannel(c, guild.id, state.channels.get(c.id)?.lastMessageId ?? null)));
    }),
    route('GET', '/guilds/:guildId/threads/active', (ctx) => {
      const guild = guildOr404(ctx.params.guildId);
      const threads = [...state.channels.values()].filter((c) => c.thread && c.guildId === guild.id && !c.thread.archived);
      return ok({ threads: threads.map((t) => state.channelToApi(t)), members: [] });
    }),
    route('GET', '/guilds/:guildId/roles', (ctx) => ok(guildOr404(ctx.params.guildId).roles.map(toApiRole))),
    route('GET', '/guilds/:guildId/members', (ctx) => {
      const guild = guildOr404(ctx.params.guildId);
      requireMembersIntent();
      const limit = Math.min(Math.max(Number(ctx.query.limit ?? 1) || 1, 1), 1000);
      const after = ctx.query.after ? BigInt(ctx.query.after) : 0n;
      const members = guild.members.filter((m) => BigInt(m.user.id) > after).sort((a, b) => (BigInt(a.user.id) < BigInt(b.user.id) ? -1 : 1));
      return ok(members.slice(0, limit).map((m) => toApiMember(m)));
    }),
    route('GET', '/guilds/:guildId/members/search', (ctx) => {
      const guild = guildOr404(ctx.params.guildId);
      const query = (ctx.query.query ?? '').toLowerCase();
      const limit = Math.min(Math.max(Number(ctx.query.limit ?? 1) || 1, 1), 1000);
      const members = guild.members.filter((m) => m.user.username.toLowerCase().startsWith(query) || (m.nick ?? '').toLowerCase().startsWith(query));
      return ok(members.slice(0, limit).map((m) => toApiMember(m)));
    }),
    route('GET', '/guilds/:guildId/members/:userId', (ctx) => {
      const guild = guildOr404(ctx.params.guildId);
      const member = guild.members.find((m) => m.user.id === ctx.params.userId);
      if (!member) throw DiscordErrors.unknownMember();
      return ok(toApiMember(member));
    }),
  ];
}
