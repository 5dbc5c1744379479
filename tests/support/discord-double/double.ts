/**
 * The Discord test double: REST (`/api/v10/...`) and gateway (`ws://`) on one 127.0.0.1 port.
 * Start it with {@link startDiscordDouble}; point discord.js at it with
 * `new Client({ rest: { api: discord.apiUrl } })`.
 */
import { ApplicationFlags, ChannelType, GatewayIntentBits, MessageFlags, MessageType, PermissionFlagsBits } from 'discord.js';
import type {
  APIApplicationCommand,
  APIApplicationCommandOptionChoice,
  APIChannel,
  APIEmbed,
  APIInteraction,
  APIMessage,
  APIUser,
} from 'discord.js';
import {
  attachBotToGuild,
  BOT_ROLE_PLACEHOLDER,
  createDefaultGuild,
  createDefaultUsers,
  createUser,
  isThreadOnlyKind,
  resolveOverwrites,
  toApiChannel,
  toApiGuild,
  toApiMember,
  type DefaultUsers,
  type GuildFixture,
  type OverwriteOptions,
  type UserOptions,
} from './fixtures.js';
import { GatewayServer, type GatewayConnectionInfo, type GatewaySession, type ReceivedGatewayPayload } from './gateway.js';
import { HttpFront, describeMatcher, matchRequest, type FailureHandle, type FailureOptions, type RecordedRequest, type RequestMatcher } from './http.js';
import type { AttachmentOptionInput, InvokeContext, InteractionSpec, MessageRef, SlashOptionValue } from './interactions.js';
import { InteractionFactory } from './interactions.js';
import { buildRoutes } from './routes.js';
import { discordTimestamp, fakeBotToken, nextSnowflake } from './snowflake.js';
import { DoubleState, isObject, type ChannelState, type InteractionRecord, type JsonObject, type MessageEvent, type StoredMessage } from './state.js';
import { modalTextInputs } from './validation.js';
import { WaitableLog, type WaitOptions } from './wait.js';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface DiscordDoubleOptions {
  /** Default: a fresh snowflake. */
  applicationId?: string;
  /** Default "ML Career Bot (test)". */
  applicationName?: string;
  /** Fields of the bot user (`bot: true` is forced). Default username "ml-career-bot", id = applicationId. */
  botUser?: Partial<APIUser>;
  /** Default: one guild (see {@link createDefaultGuild}). The bot is added to every guild as a member. */
  guilds?: GuildFixture[];
  /** Require exactly this bot token on REST and IDENTIFY. Default: accept any token (`discord.token` is still a realistic one). */
  token?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** HELLO's heartbeat_interval. Default 41250 like Discord. */
  heartbeatIntervalMs?: number;
  /** Privileged intents enabled "in the developer portal". Default: all enabled. IDENTIFY asking for a disabled one is closed with 4014. */
  privilegedIntents?: { guildMembers?: boolean; guildPresences?: boolean; messageContent?: boolean };
  /** Send MESSAGE_CREATE/UPDATE/DELETE and THREAD_CREATE/UPDATE for what the bot does over REST, like Discord. Default true. */
  echoBotEvents?: boolean;
  /** Who invokes interactions and writes messages when a test names nobody. Default: `users.member`. */
  defaultUser?: APIUser;
  /**
   * What GET /gateway/bot recommends: `shards` (default 1) and `max_concurrency` (default 1). Whatever a session
   * identified with, it gets the events of its shard's guilds only, as Discord routes them: shard
   * (guild_id >> 22) % shard_count; DMs go to shard 0.
   */
  sharding?: { shards?: number; maxConcurrency?: number };
}

/** The shard Discord sends a guild's events to. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Whether a session gets the events of a guild (or of DMs, for `null`). */
function receives(session: GatewaySession, guildId: string | null | undefined): boolean {
  const [id, count] = Array.isArray(session.identify.shard) ? (session.identify.shard as [number, number]) : [0, 1];
  return guildId ? shardOfGuild(guildId, count) === id : id === 0;
}

function shardOfSession(session: GatewaySession): number {
  return Array.isArray(session.identify.shard) ? Number(session.identify.shard[0]) : 0;
}

/** The `{ type, data }` body the bot POSTed to the interaction callback. */
export interface InteractionCallbackBody {
  type: number;
  data?: JsonObject;
}

export interface InteractionResult {
  /** The INTERACTION_CREATE payload that was dispatched. */
  readonly interaction: APIInteraction;
  readonly id: string;
  readonly token: string;
  /** The callback request (`POST /interactions/:id/:token/callback`). */
  readonly request: RecordedRequest;
  /** HTTP status the double gave the callback (204 normally; 4xx if it was rejected). */
  readonly status: number;
  /** The callback was accepted (2xx). */
  readonly accepted: boolean;
  readonly callback: InteractionCallbackBody;
  /** `InteractionResponseType`: 4 message, 5 deferred, 6 deferred update, 7 update, 8 autocomplete, 9 modal. */
  readonly type: number;
  readonly data: JsonObject | undefined;
  /** `data.content` of the callback. */
  readonly content: string | undefined;
  readonly embeds: APIEmbed[];
  /** Autocomplete choices (type 8). */
  readonly choices: APIApplicationCommandOptionChoice[] | undefined;
  /** The callback asked for an ephemeral message. */
  readonly ephemeral: boolean;
  /** Current state of the original response message (`@original`), if any. */
  original(): APIMessage | undefined;
  /** Follow-up messages created with this interaction's token, in order (deleted ones excluded). */
  followUps(): APIMessage[];
  /** Next `PATCH .../messages/@original` (or the original's id) after the callback. */
  waitForEdit(options?: WaitOptions): Promise<RecordedRequest>;
  /** Next `POST /webhooks/:appId/:token` after the callback. */
  waitForFollowUp(options?: WaitOptions): Promise<RecordedRequest>;
  /**
   * The message the user ends up seeing: immediately for type 4/7; for type 5/6 after the first
   * successful edit or follow-up. Rejects for response types without a message (8, 9).
   */
  waitForResponse(options?: WaitOptions): Promise<APIMessage>;
}

/** Options of {@link DiscordDouble.message}. */
export interface UserMessageOptions {
  /** Default: the first guild's first text channel. */
  channelId?: string;
  content?: string;
  /** Default: the double's default user. */
  author?: APIUser;
  embeds?: APIEmbed[];
  /** Reply to this message id. */
  replyTo?: string;
  attachments?: AttachmentOptionInput[];
  id?: string;
}

/** Options of {@link DiscordDouble.createForumPost}. */
export interface ForumPostOptions {
  /** A forum or media channel. */
  forumId: string;
  /** The post's title: its thread's name. */
  title: string;
  /** The starter message's text. */
  content?: string;
  /** Default: the double's default user. */
  author?: APIUser;
  /** Tags the author picked, by id or name. */
  tags?: string[];
}

/** Options of {@link DiscordDouble.startUserThread}. */
export interface UserThreadOptions {
  /** A text or announcement channel. */
  channelId: string;
  name: string;
  /** Default: the double's default user. */
  author?: APIUser;
}

/** Filter of {@link DiscordDouble.messagesIn}. */
export interface MessageFilter {
  /** Default true. */
  includeEphemeral?: boolean;
  /** Default false. */
  includeDeleted?: boolean;
  /** `'bot'` (default), `'any'`, or a user id. */
  author?: 'bot' | 'any' | string;
}

export interface GatewayControls {
  readonly sessions: readonly GatewaySession[];
  readonly connections: readonly GatewayConnectionInfo[];
  /** Everything clients sent (heartbeats, IDENTIFY, presence updates, ...). */
  readonly received: readonly ReceivedGatewayPayload[];
  waitForPayload(predicate: (payload: ReceivedGatewayPayload) => boolean, options?: WaitOptions): Promise<ReceivedGatewayPayload>;
  /**
   * Close every connection with `code`. 4000 (default): discord.js resumes. 1000: it re-identifies (after a ~5 s
   * identify throttle). 4004 (authentication failed) and 4010–4014 (shard, sharding, API version, intents): it
   * gives up for good, as Discord means it to.
   */
  disconnect(code?: number): void;
  /** op 7 RECONNECT: discord.js reconnects and RESUMEs. */
  requestReconnect(): Promise<void>;
  /** op 9 INVALID_SESSION. */
  invalidateSessions(resumable?: boolean): Promise<void>;
}

/** In {@link DiscordDouble.setPermissionOverwrites}: the bot's own managed role. */
export const BOT_ROLE = BOT_ROLE_PLACEHOLDER;

// ---------------------------------------------------------------------------------------------

export async function startDiscordDouble(options: DiscordDoubleOptions = {}): Promise<DiscordDouble> {
  const double = new DiscordDouble(options);
  await double.listen(options.port ?? 0);
  return double;
}

export class DiscordDouble {
  readonly applicationId: string;
  readonly botUser: APIUser;
  /** A realistic-looking bot token (enforced only if `options.token` was given). */
  readonly token: string;
  /** The guild fixtures (with the bot member added). */
  readonly guilds: GuildFixture[];
  /** The default humans (owner, moderator, member). Members of the default guild only. */
  readonly users: DefaultUsers;
  /** Resolves once a client identified and READY + GUILD_CREATEs were written to it. Never rejects. */
  readonly ready: Promise<void>;
  readonly gateway: GatewayControls;

  readonly #state: DoubleState;
  readonly #http: HttpFront;
  readonly #gateway: GatewayServer;
  readonly #factory: InteractionFactory;
  readonly #options: DiscordDoubleOptions;
  readonly #messageEvents = new WaitableLog<{ kind: MessageEvent['kind']; message: APIMessage }>('bot message events', (e) => `${e.kind} ${e.message.id} in ${e.message.channel_id}: ${JSON.stringify(e.message.content.slice(0, 60))}`);
  #port = 0;
  #closing: Promise<void> | null = null;
  readonly #allowedPrivileged: number;
  #defaultUser: APIUser;

  constructor(options: DiscordDoubleOptions = {}) {
    this.#options = options;
    this.applicationId = options.applicationId ?? options.botUser?.id ?? nextSnowflake();
    this.botUser = {
      ...createUser({ id: options.botUser?.id ?? this.applicationId, username: options.botUser?.username ?? 'ml-career-bot', bot: true }),
      ...options.botUser,
      bot: true,
    };
    this.token = options.token ?? fakeBotToken(this.botUser.id);
    this.users = createDefaultUsers();
    this.#defaultUser = options.defaultUser ?? this.users.member;
    this.guilds = options.guilds ?? [createDefaultGuild(this.users)];
    for (const guild of this.guilds) attachBotToGuild(guild, this.botUser);

    const privileged = options.privilegedIntents ?? {};
    this.#allowedPrivileged =
      (privileged.guildMembers === false ? 0 : GatewayIntentBits.GuildMembers) |
      (privileged.guildPresences === false ? 0 : GatewayIntentBits.GuildPresences) |
      (privileged.messageContent === false ? 0 : GatewayIntentBits.MessageContent);

    this.#state = new DoubleState(this.applicationId, this.botUser, this.guilds);
    for (const user of Object.values(this.users)) this.#state.users.set(user.id, user);
    this.#factory = new InteractionFactory(this.#state, () => this.#defaultUser);

    const owner = this.guilds[0]?.members.find((m) => m.user.id === this.guilds[0]?.ownerId)?.user ?? this.users.owner;
    this.#http = new HttpFront({
      token: options.token,
      routes: buildRoutes({
        state: this.#state,
        gatewayUrl: () => this.gatewayUrl,
        allowedPrivilegedIntents: () => this.#allowedPrivileged,
        applicationFlags: this.#applicationFlags(),
        applicationName: options.applicationName ?? 'ML Career Bot (test)',
        applicationOwner: owner,
        sharding: { shards: options.sharding?.shards ?? 1, maxConcurrency: options.sharding?.maxConcurrency ?? 1 },
      }),
      serveRaw: (path) => this.#serveAttachment(path),
      onResponded: () => undefined,
    });

    this.#gateway = new GatewayServer(
      {
        acceptsToken: (token) => options.token === undefined || token === options.token,
        allowedPrivilegedIntents: () => this.#allowedPrivileged,
        readyPayload: (session) => this.#readyPayload(session),
        guildCreatePayloads: (session) => this.guilds.filter((guild) => receives(session, guild.id)).map((guild) => this.#guildCreatePayload(guild, session)),
        membersChunks: (session, request) => this.#membersChunks(session, request),
      },
      { heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250, readyGapMs: 15 },
    );
    this.#http.server.on('upgrade', (request, socket, head: Buffer) => this.#gateway.handleUpgrade(request, socket, head));

    this.ready = new Promise<void>((resolve) => {
      const unsubscribe = this.#gateway.readySessions.subscribe(() => {
        unsubscribe();
        resolve();
      });
    });

    const gateway = this.#gateway;
    this.gateway = {
      get sessions() {
        return gateway.sessions;
      },
      get connections() {
        return gateway.connections;
      },
      get received() {
        return gateway.received.items;
      },
      waitForPayload: (predicate, waitOptions) => gateway.received.waitFor(predicate, 'a matching gateway payload', waitOptions),
      disconnect: (code) => gateway.disconnectAll(code),
      requestReconnect: () => gateway.requestReconnect(),
      invalidateSessions: (resumable) => gateway.invalidateSessions(resumable),
    };

    this.#state.events.on('message', (event: MessageEvent) => this.#onMessageEvent(event));
    // Threads users open are dispatched by the methods that open them (startUserThread, createForumPost).
    this.#state.events.on('thread', (thread: ChannelState) => {
      if (this.#options.echoBotEvents === false || thread.thread?.ownerId !== this.botUser.id) return;
      setImmediate(() => void this.#dispatchThread('THREAD_CREATE', thread));
    });
    this.#state.events.on('thread-update', (thread: ChannelState) => {
      if (this.#options.echoBotEvents === false) return;
      setImmediate(() => void this.#dispatchThread('THREAD_UPDATE', thread));
    });
  }

  /** @internal Use {@link startDiscordDouble}. */
  async listen(port: number): Promise<void> {
    const address = await this.#http.listen(port);
    this.#port = address.port;
    this.#state.origin = `http://127.0.0.1:${this.#port}`;
  }

  // -------------------------------------------------------------------------------------------
  // Addresses and fixtures
  // -------------------------------------------------------------------------------------------

  get port(): number {
    return this.#port;
  }

  /** `http://127.0.0.1:PORT/api` — give it to discord.js as `rest.api`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  /** `ws://127.0.0.1:PORT` — what GET /gateway/bot returns. */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  /** The first guild. */
  get guild(): GuildFixture {
    const guild = this.guilds[0];
    if (!guild) throw new Error('The double has no guilds');
    return guild;
  }

  /** The first guild's first text channel. */
  get channel(): { id: string; name: string; guildId: string } {
    const channel = this.#state.defaultTextChannel(this.guild.id);
    if (!channel) throw new Error('The first guild has no text channel');
    return { id: channel.id, name: channel.name, guildId: this.guild.id };
  }

  /** A new user, optionally made a member of a guild (role ids or names). */
  createUser(options: UserOptions = {}, membership?: { guildId?: string; roles?: string[] }): APIUser {
    const user = createUser(options);
    this.#state.users.set(user.id, user);
    if (membership) {
      const guild = this.#state.guilds.get(membership.guildId ?? this.guild.id);
      if (!guild) throw new Error(`Unknown guild ${String(membership.guildId)}`);
      const roles = (membership.roles ?? []).map((ref) => {
        const role = guild.roles.find((r) => r.id === ref || r.name === ref);
        if (!role) throw new Error(`Unknown role "${ref}"`);
        return role.id;
      });
      guild.members.push({ user, roles, nick: null, joinedAt: discordTimestamp() });
    }
    return user;
  }

  // -------------------------------------------------------------------------------------------
  // REST recording
  // -------------------------------------------------------------------------------------------

  /** Every REST request received (under /api), oldest first. */
  get requests(): readonly RecordedRequest[] {
    return this.#http.requests.items;
  }

  /** Requests no route handled (answered 404/405 with a Discord-style error). */
  get unhandledRequests(): readonly RecordedRequest[] {
    return this.#http.unhandled;
  }

  /** Resolves with the first matching request, already received or arriving later. */
  waitForRequest(matcher: RequestMatcher, options: WaitOptions = {}): Promise<RecordedRequest> {
    return this.#http.requests.waitFor((r) => matchRequest(matcher, r), describeMatcher(matcher), options);
  }

  /** Forget recorded requests (not state). */
  clearRequests(): void {
    this.#http.requests.clear();
    this.#http.unhandled.length = 0;
  }

  /**
   * Make the next request(s) matching `method`/`path` fail with `status` and a Discord-style
   * body. Note: discord.js retries 429s (after Retry-After) and 5xx (up to 3 times) on its own.
   */
  failNext(options: FailureOptions): FailureHandle {
    return this.#http.failNext(options);
  }

  // -------------------------------------------------------------------------------------------
  // Gateway
  // -------------------------------------------------------------------------------------------

  /** Resolves with the `count`-th IDENTIFY payload (`d`). */
  waitForIdentify(options: WaitOptions & { count?: number } = {}): Promise<JsonObject> {
    const count = options.count ?? 1;
    let seen = 0;
    return this.#gateway.identifies.waitFor(() => ++seen >= count, `IDENTIFY #${count}`, options);
  }

  /** Resolves once the `count`-th session got READY and its GUILD_CREATEs. */
  waitForReady(options: WaitOptions & { count?: number } = {}): Promise<GatewaySession> {
    const count = options.count ?? 1;
    let seen = 0;
    return this.#gateway.readySessions.waitFor(() => ++seen >= count, `ready gateway session #${count}`, options);
  }

  /**
   * Sends a raw dispatch (op 0) to every ready session, regardless of intents. A MESSAGE_CREATE
   * dispatched this way is also stored, so the bot can reply to it or start a thread from it.
   * Resolves with the number of sessions it was written to.
   */
  dispatch(event: string, data: unknown): Promise<number> {
    if (event === 'MESSAGE_CREATE' && isObject(data) && typeof data.id === 'string' && !this.#state.messages.has(data.id)) {
      this.#storeUserMessage(data as unknown as APIMessage);
    }
    const guildId = isObject(data) && typeof data.guild_id === 'string' ? data.guild_id : undefined;
    return this.#gateway.dispatch(event, (session) => (guildId === undefined || receives(session, guildId) ? data : null));
  }

  /** Builds a MESSAGE_CREATE payload (a user's message, with `guild_id` and `member`). Does not send it. */
  message(options: UserMessageOptions = {}): APIMessage & { guild_id?: string; member?: unknown } {
    const channelId = options.channelId ?? this.channel.id;
    const channel = this.#state.channels.get(channelId);
    if (!channel) throw new Error(`Unknown channel ${channelId}`);
    const author = options.author ?? this.#defaultUser;
    this.#state.users.set(author.id, author);
    const id = options.id ?? nextSnowflake();
    const attachments = (options.attachments ?? []).map((a) => {
      const attachmentId = nextSnowflake();
      const url = a.url ?? `${this.#state.origin}/attachments/${channelId}/${attachmentId}/${encodeURIComponent(a.filename)}`;
      return { id: attachmentId, filename: a.filename, size: a.size ?? 0, url, proxy_url: url, content_type: a.contentType ?? 'application/octet-stream' };
    });
    const content = options.content ?? '';
    const mentions = [...content.matchAll(/<@!?(\d{15,21})>/g)]
      .map((m) => this.#state.users.get(m[1] ?? ''))
      .filter((u): u is APIUser => u !== undefined);
    const referenced = options.replyTo ? this.#state.messages.get(options.replyTo)?.message : undefined;
    const message: APIMessage & { guild_id?: string; member?: unknown } = {
      id,
      channel_id: channelId,
      author,
      content,
      timestamp: discordTimestamp(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: /@(everyone|here)\b/.test(content),
      mentions,
      mention_roles: [...content.matchAll(/<@&(\d{15,21})>/g)].map((m) => m[1] ?? ''),
      attachments,
      embeds: options.embeds ?? [],
      components: [],
      pinned: false,
      type: options.replyTo ? MessageType.Reply : MessageType.Default,
      flags: 0 as MessageFlags,
      nonce: nextSnowflake(),
    };
    if (options.replyTo) {
      message.message_reference = { type: 0, message_id: options.replyTo, channel_id: channelId, ...(channel.guildId ? { guild_id: channel.guildId } : {}) };
      message.referenced_message = referenced ?? null;
    }
    if (channel.guildId) {
      message.guild_id = channel.guildId;
      const member = this.#state.member(channel.guildId, author.id);
      if (member) {
        const { user: _user, ...partial } = toApiMember(member);
        message.member = partial;
      }
    }
    return message;
  }

  /**
   * A user posts a message: stores it and sends MESSAGE_CREATE the way Discord would — only to
   * sessions with GuildMessages (DirectMessages for DMs), and with content/embeds/attachments
   * blanked for sessions without MessageContent unless the bot is mentioned.
   * Resolves with the message and how many sessions received it.
   */
  async sendUserMessage(options: UserMessageOptions = {}): Promise<{ message: APIMessage; delivered: number }> {
    const message = this.message(options);
    return { message, delivered: await this.#deliverUserMessage(message) };
  }

  /**
   * A user opens a thread (without a starter message) under a text or announcement channel: THREAD_CREATE
   * (newly created) to sessions with the Guilds intent that can see the channel. Post in it with
   * `sendUserMessage({ channelId: thread.id })`.
   */
  async startUserThread(options: UserThreadOptions): Promise<APIChannel> {
    const parent = this.#state.channels.get(options.channelId);
    if (!parent?.fixture || (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement)) {
      throw new Error(`startUserThread: ${options.channelId} is not a text or announcement channel`);
    }
    const author = options.author ?? this.#defaultUser;
    const thread = this.#state.createThread({
      parent,
      name: options.name,
      type: parent.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread,
      ownerId: author.id,
    });
    await this.#dispatchThread('THREAD_CREATE', thread);
    return this.#state.channelToApi(thread);
  }

  /**
   * A user creates a post in a forum or media channel, as Discord does it: THREAD_CREATE for the post (newly
   * created, with the tags the author picked), then MESSAGE_CREATE for its starter message, which has the
   * post's id. Events go out as for {@link sendUserMessage}.
   */
  async createForumPost(options: ForumPostOptions): Promise<{ post: APIChannel; message: APIMessage; delivered: number }> {
    const forum = this.#state.channels.get(options.forumId);
    if (!forum?.fixture || !isThreadOnlyKind(forum.type)) throw new Error(`createForumPost: ${options.forumId} is not a forum or media channel`);
    const available = forum.fixture.availableTags;
    const tags = (options.tags ?? []).map((ref) => {
      const tag = available.find((t) => t.id === ref || t.name === ref);
      if (!tag) throw new Error(`createForumPost: #${forum.fixture?.name} has no tag "${ref}" (it has: ${available.map((t) => t.name).join(', ') || 'none'})`);
      return tag.id;
    });
    const author = options.author ?? this.#defaultUser;
    const thread = this.#state.createThread({ parent: forum, name: options.title, type: ChannelType.PublicThread, ownerId: author.id, appliedTags: tags });
    await this.#dispatchThread('THREAD_CREATE', thread);
    const message = this.message({ channelId: thread.id, id: thread.id, content: options.content ?? '', author });
    const delivered = await this.#deliverUserMessage(message);
    return { post: this.#state.channelToApi(thread), message, delivered };
  }

  /**
   * A moderator replaces a channel's permission overwrites (a role by id or name; the bot's own role is
   * {@link BOT_ROLE}): CHANNEL_UPDATE goes to sessions with the Guilds intent, so clients recompute permissions.
   */
  async setPermissionOverwrites(channelId: string, overwrites: OverwriteOptions[]): Promise<void> {
    const channel = this.#state.channels.get(channelId);
    const guild = channel ? this.#state.guildOf(channel) : undefined;
    if (!channel?.fixture || !guild) throw new Error(`setPermissionOverwrites: ${channelId} is not a guild channel of a fixture`);
    channel.fixture.permissionOverwrites = resolveOverwrites(overwrites, (ref) => {
      const role = guild.roles.find((r) => r.id === ref || r.name === ref || (ref === BOT_ROLE && r.botId === this.botUser.id));
      if (!role) throw new Error(`setPermissionOverwrites: unknown role "${ref}"`);
      return role.id;
    });
    const payload = this.#state.channelToApi(channel);
    await this.#gateway.dispatch('CHANNEL_UPDATE', (session) => (session.hasIntent(GatewayIntentBits.Guilds) ? payload : null));
  }

  // -------------------------------------------------------------------------------------------
  // Interactions
  // -------------------------------------------------------------------------------------------

  /** Dispatches an interaction and resolves with the bot's callback. */
  async interact(spec: InteractionSpec): Promise<InteractionResult> {
    const record = this.#factory.build(spec);
    this.#state.registerInteraction(record);
    const guildId = (record.payload as { guild_id?: string }).guild_id;
    const shard = spec.context?.shard;
    const delivered = await this.#gateway.dispatch('INTERACTION_CREATE', (session) =>
      (shard === undefined ? receives(session, guildId) : shardOfSession(session) === shard) ? record.payload : null,
    );
    if (delivered === 0) {
      throw new Error(
        `No ready gateway session to deliver the interaction to (is the bot connected?). Sessions: ${this.#gateway.sessions.length}, ` +
          `connections: ${this.#gateway.connections.length}.\n${this.#http.requests.summary(10)}`,
      );
    }
    const context = spec.context ?? {};
    // A callback after the deadline is still a request (answered 10062), so a little slack is enough.
    const timeoutMs = context.timeoutMs ?? (context.deadlineMs ?? 3000) + 1000;
    const path = `/interactions/${record.id}/${record.token}/callback`;
    const request = await this.#http.requests.waitFor(
      (r) => r.method === 'POST' && r.path === path,
      `the bot's callback to ${describeSpec(spec)} (POST /interactions/${record.id}/<token>/callback)`,
      { timeoutMs },
    );
    return new InteractionResultImpl(this, this.#state, record, request);
  }

  /** `/name` with options. `name` may include a subcommand (group): `"kb add"`. */
  slash(name: string, options: Record<string, SlashOptionValue> = {}, context: InvokeContext = {}): Promise<InteractionResult> {
    return this.interact({ kind: 'slash', name, options, context });
  }

  /** Autocomplete while typing `focused` (default: the last option given). */
  autocomplete(name: string, options: Record<string, SlashOptionValue>, context: InvokeContext & { focused?: string } = {}): Promise<InteractionResult> {
    const { focused, ...rest } = context;
    return this.interact({ kind: 'autocomplete', name, options, ...(focused !== undefined ? { focused } : {}), context: rest });
  }

  /** Clicks a button on a message (an APIMessage, or a stored message's id or anything with its id). */
  clickButton(message: MessageRef, customId: string, context: InvokeContext = {}): Promise<InteractionResult> {
    return this.interact({ kind: 'component', message, customId, context });
  }

  /** Picks values in a select menu on a message. */
  selectMenu(message: MessageRef, customId: string, values: string[], context: InvokeContext = {}): Promise<InteractionResult> {
    return this.interact({ kind: 'component', message, customId, values, context });
  }

  /** Submits a modal (text inputs by custom_id). Pass `message` if the modal was opened from a component. */
  submitModal(customId: string, fields: Record<string, string>, context: InvokeContext & { message?: MessageRef } = {}): Promise<InteractionResult> {
    const { message, ...rest } = context;
    return this.interact({ kind: 'modal', customId, fields, ...(message !== undefined ? { message } : {}), context: rest });
  }

  /**
   * The user fills in and submits the modal the bot opened in answer to `opened`: `values` by text input
   * custom_id, the rest keeping what the bot filled in. Refused as Discord's client would refuse it: a field
   * the modal does not have, a required field left empty, a value outside its length. Submitted by the same
   * user in the same channel with the same permissions (unless `context` says otherwise), each field in a
   * label when the bot used labels.
   */
  fillModal(opened: InteractionResult, values: Record<string, string>, context: InvokeContext = {}): Promise<InteractionResult> {
    if (opened.type !== 9 || !opened.data) throw new Error(`The interaction was answered with callback type ${opened.type}, not a modal (9)`);
    const modal = opened.data;
    const inputs = modalTextInputs(modal.components).map(({ input, label }) => ({ input, label: String(label) }));
    const ids = inputs.map(({ input }) => String(input.custom_id));
    for (const id of Object.keys(values)) {
      if (!ids.includes(id)) throw new Error(`The modal "${String(modal.custom_id)}" has no text input "${id}"; it has: ${ids.join(', ')}`);
    }
    const fields: Record<string, string> = {};
    for (const { input, label } of inputs) {
      const value = values[String(input.custom_id)] ?? (typeof input.value === 'string' ? input.value : '');
      const length = [...value].length;
      if (input.required !== false && length === 0) throw new Error(`"${label}" is required: Discord would not let the user submit the modal without it`);
      if (length > (typeof input.max_length === 'number' ? input.max_length : 4000)) throw new Error(`"${label}" takes at most ${String(input.max_length)} characters; got ${length}`);
      if (length > 0 && length < (typeof input.min_length === 'number' ? input.min_length : 0)) throw new Error(`"${label}" takes at least ${String(input.min_length)} characters; got ${length}`);
      fields[String(input.custom_id)] = value;
    }
    const from = opened.interaction as unknown as { channel_id: string; member?: { user: APIUser; permissions: string }; user?: APIUser; message?: APIMessage };
    const user = from.member?.user ?? from.user;
    const permissions = from.member?.permissions;
    return this.interact({
      kind: 'modal',
      customId: String(modal.custom_id),
      fields,
      labels: (modal.components as JsonObject[]).every((c) => c.type === 18),
      ...(from.message ? { message: from.message } : {}),
      context: { channelId: from.channel_id, ...(user ? { user } : {}), ...(permissions ? { permissions } : {}), ...context },
    });
  }

  /** A user context-menu command on `target`. */
  userCommand(name: string, target: APIUser, context: InvokeContext = {}): Promise<InteractionResult> {
    return this.interact({ kind: 'userCommand', name, target, context });
  }

  /** A message context-menu command on `target`. */
  messageCommand(name: string, target: MessageRef, context: InvokeContext = {}): Promise<InteractionResult> {
    return this.interact({ kind: 'messageCommand', name, target, context });
  }

  // -------------------------------------------------------------------------------------------
  // State queries
  // -------------------------------------------------------------------------------------------

  /** Registered commands: global without `guildId`, else that guild's. */
  commands(guildId?: string): APIApplicationCommand[] {
    return [...this.#state.commandMap(guildId ?? null).values()];
  }

  /** Messages in a channel (default: the bot's, including ephemeral ones, excluding deleted), oldest first. */
  messagesIn(channelId: string, filter: MessageFilter = {}): APIMessage[] {
    const author = filter.author ?? 'bot';
    return this.#state
      .messagesOf(channelId, { includeDeleted: filter.includeDeleted ?? false })
      .filter((s) => author === 'any' || s.message.author.id === (author === 'bot' ? this.botUser.id : author))
      .filter((s) => filter.includeEphemeral !== false || ((s.message.flags ?? 0) & MessageFlags.Ephemeral) === 0)
      .map((s) => s.message);
  }

  /** A stored message with its edit history and deletion flag. */
  getMessage(id: string): StoredMessage | undefined {
    return this.#state.messages.get(id);
  }

  /**
   * Resolves with the first bot message (created or edited, current state) matching `predicate`,
   * looking at existing messages first.
   */
  waitForMessage(predicate: (message: APIMessage) => boolean, options: WaitOptions & { channelId?: string } = {}): Promise<APIMessage> {
    const fits = (m: APIMessage) => (options.channelId === undefined || m.channel_id === options.channelId) && predicate(m);
    for (const stored of this.#state.messages.values()) {
      if (!stored.deleted && stored.message.author.id === this.botUser.id && fits(stored.message)) return Promise.resolve(stored.message);
    }
    return this.#messageEvents
      .waitFor((e) => e.kind !== 'delete' && fits(e.message), `a bot message matching ${predicate.name || 'the predicate'}`, options)
      .then((e) => e.message);
  }

  getChannel(id: string): APIChannel | undefined {
    const channel = this.#state.channels.get(id);
    return channel ? this.#state.channelToApi(channel) : undefined;
  }

  /** Threads created at runtime (optionally under one parent). */
  threads(parentId?: string): APIChannel[] {
    return [...this.#state.channels.values()]
      .filter((c) => c.thread && (parentId === undefined || c.thread.parentId === parentId))
      .map((c) => this.#state.channelToApi(c));
  }

  /** Interactions dispatched so far, with their callback state. */
  get interactions(): readonly InteractionRecord[] {
    return [...this.#state.interactionsById.values()];
  }

  // -------------------------------------------------------------------------------------------
  // Shutdown
  // -------------------------------------------------------------------------------------------

  /**
   * Closes every socket and the HTTP server, and rejects pending waits. Idempotent.
   * Gateway connections still open are closed with 4010 so discord.js gives up instead of
   * reconnecting forever (it logs "Invalid shard"); destroy in-process clients first to avoid that.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#state.events.removeAllListeners();
      await this.#gateway.close();
      await this.#http.close();
      this.#messageEvents.close('the Discord double was closed');
    })();
    return this.#closing;
  }

  // -------------------------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------------------------

  #applicationFlags(): number {
    let flags = ApplicationFlags.ApplicationCommandBadge;
    if (this.#allowedPrivileged & GatewayIntentBits.GuildPresences) flags |= ApplicationFlags.GatewayPresenceLimited;
    if (this.#allowedPrivileged & GatewayIntentBits.GuildMembers) flags |= ApplicationFlags.GatewayGuildMembersLimited;
    if (this.#allowedPrivileged & GatewayIntentBits.MessageContent) flags |= ApplicationFlags.GatewayMessageContentLimited;
    return flags;
  }

  #readyPayload(session: GatewaySession): JsonObject {
    return {
      v: 10,
      user_settings: {},
      user: { ...this.botUser, verified: true, mfa_enabled: false, email: null },
      guilds: this.guilds.filter((g) => receives(session, g.id)).map((g) => ({ id: g.id, unavailable: true })),
      session_type: 'normal',
      session_id: session.id,
      resume_gateway_url: this.gatewayUrl,
      shard: Array.isArray(session.identify.shard) ? session.identify.shard : [0, 1],
      application: { id: this.applicationId, flags: this.#applicationFlags() },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: ['us-east', 'us-central'],
      auth: {},
      _trace: ['["gateway-double",{"micros":0.0}]'],
    };
  }

  #guildCreatePayload(guild: GuildFixture, session: GatewaySession): JsonObject {
    const state = this.#state;
    const members = session.hasIntent(GatewayIntentBits.GuildMembers) ? guild.members : guild.members.filter((m) => m.user.id === this.botUser.id);
    const threads = [...state.channels.values()].filter((c) => c.thread && c.guildId === guild.id && !c.thread.archived);
    const botMember = guild.members.find((m) => m.user.id === this.botUser.id);
    return {
      ...toApiGuild(guild, state.defaultTextChannel(guild.id)?.id ?? null),
      // GUILD_CREATE extras
      joined_at: botMember?.joinedAt ?? discordTimestamp(),
      large: false,
      unavailable: false,
      lazy: true,
      member_count: guild.members.length,
      voice_states: [],
      members: members.map((m) => toApiMember(m)),
      channels: guild.channels.map((c) => toApiChannel(c, guild.id, state.channels.get(c.id)?.lastMessageId ?? null)),
      threads: threads.map((t) => state.channelToApi(t)),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
    };
  }

  #membersChunks(_session: GatewaySession, request: JsonObject): JsonObject[] {
    const guildIds = Array.isArray(request.guild_id) ? (request.guild_id as string[]) : [String(request.guild_id)];
    const userIds = request.user_ids === undefined ? undefined : Array.isArray(request.user_ids) ? (request.user_ids as string[]) : [String(request.user_ids)];
    const query = typeof request.query === 'string' ? request.query.toLowerCase() : '';
    const limit = typeof request.limit === 'number' && request.limit > 0 ? request.limit : Number.POSITIVE_INFINITY;
    return guildIds.map((guildId) => {
      const guild = this.#state.guilds.get(guildId);
      const all = guild?.members ?? [];
      const members = userIds
        ? all.filter((m) => userIds.includes(m.user.id))
        : all.filter((m) => m.user.username.toLowerCase().startsWith(query)).slice(0, limit);
      const chunk: JsonObject = {
        guild_id: guildId,
        members: members.map((m) => toApiMember(m)),
        chunk_index: 0,
        chunk_count: 1,
      };
      if (userIds) chunk.not_found = userIds.filter((id) => !all.some((m) => m.user.id === id));
      if (request.presences === true) chunk.presences = [];
      if (request.nonce !== undefined) chunk.nonce = request.nonce;
      return chunk;
    });
  }

  #storeUserMessage(message: APIMessage): void {
    const { guild_id: _g, member: _m, ...clean } = message as APIMessage & { guild_id?: string; member?: unknown };
    this.#state.messages.set(message.id, { message: clean as APIMessage, history: [], deleted: false, source: 'user', files: new Map() });
    const channel = this.#state.channels.get(message.channel_id);
    if (channel) channel.lastMessageId = message.id;
  }

  /** Stores a user's message and sends MESSAGE_CREATE as Discord would (see {@link sendUserMessage}). */
  async #deliverUserMessage(message: APIMessage): Promise<number> {
    this.#storeUserMessage(message);
    const channel = this.#state.channels.get(message.channel_id);
    const inGuild = Boolean(channel?.guildId);
    const mentionsBot = message.mentions.some((u) => u.id === this.botUser.id);
    return this.#gateway.dispatch('MESSAGE_CREATE', (session) => {
      if (!receives(session, channel?.guildId)) return null;
      if (!session.hasIntent(inGuild ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages)) return null;
      if (inGuild && !mentionsBot && !session.hasIntent(GatewayIntentBits.MessageContent)) {
        return { ...message, content: '', embeds: [], attachments: [], components: [] };
      }
      return message;
    });
  }

  /** THREAD_CREATE (newly created) or THREAD_UPDATE, to sessions with the Guilds intent, when the bot can see the thread. */
  #dispatchThread(event: 'THREAD_CREATE' | 'THREAD_UPDATE', thread: ChannelState): Promise<number> {
    if (!this.#state.botCan(thread.id, PermissionFlagsBits.ViewChannel)) return Promise.resolve(0);
    const payload = { ...this.#state.channelToApi(thread), ...(event === 'THREAD_CREATE' ? { newly_created: true } : {}) };
    return this.#gateway.dispatch(event, (session) => (session.hasIntent(GatewayIntentBits.Guilds) && receives(session, thread.guildId) ? payload : null));
  }

  #onMessageEvent(event: MessageEvent): void {
    const message = event.stored.message;
    if (message.author.id !== this.botUser.id) return;
    this.#messageEvents.push({ kind: event.kind, message });
    if (this.#options.echoBotEvents === false || event.stored.source === 'user') return;
    if (((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0) return;
    const channel = this.#state.channels.get(message.channel_id);
    const intent = channel?.guildId ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages;
    const payload = event.kind === 'delete'
      ? { id: message.id, channel_id: message.channel_id, ...(channel?.guildId ? { guild_id: channel.guildId } : {}) }
      : this.#state.toGatewayMessage(event.stored);
    const name = event.kind === 'create' ? 'MESSAGE_CREATE' : event.kind === 'update' ? 'MESSAGE_UPDATE' : 'MESSAGE_DELETE';
    // After the REST response has been written, like Discord (usually) does.
    setImmediate(() => {
      void this.#gateway.dispatch(name, (session) => (session.hasIntent(intent) && receives(session, channel?.guildId) ? payload : null));
    });
  }

  #serveAttachment(path: string): { status: number; body: Buffer; contentType: string } | null {
    const match = /^\/attachments\/(\d+)\/(\d+)\/[^/]+$/.exec(path);
    if (!match) return null;
    const upload = this.#state.uploads.get(match[2] ?? '');
    if (upload) return { status: 200, body: upload.data, contentType: upload.contentType };
    for (const stored of this.#state.messages.values()) {
      const file = stored.files.get(match[2] ?? '');
      if (file) return { status: 200, body: file.data, contentType: file.contentType };
    }
    return null;
  }
}

function describeSpec(spec: InteractionSpec): string {
  switch (spec.kind) {
    case 'slash':
      return `/${spec.name}`;
    case 'autocomplete':
      return `autocomplete for /${spec.name}`;
    case 'userCommand':
    case 'messageCommand':
      return `context menu "${spec.name}"`;
    case 'component':
      return `component "${spec.customId}"`;
    case 'modal':
      return `modal "${spec.customId}"`;
  }
}

class InteractionResultImpl implements InteractionResult {
  readonly request: RecordedRequest;
  readonly #double: DiscordDouble;
  readonly #state: DoubleState;
  readonly #record: InteractionRecord;

  constructor(double: DiscordDouble, state: DoubleState, record: InteractionRecord, request: RecordedRequest) {
    this.#double = double;
    this.#state = state;
    this.#record = record;
    this.request = request;
  }

  get interaction(): APIInteraction {
    return this.#record.payload as unknown as APIInteraction;
  }
  get id(): string {
    return this.#record.id;
  }
  get token(): string {
    return this.#record.token;
  }
  get status(): number {
    return this.request.status;
  }
  get accepted(): boolean {
    return this.request.status >= 200 && this.request.status < 300;
  }
  get callback(): InteractionCallbackBody {
    return (isObject(this.request.body) ? this.request.body : { type: -1 }) as unknown as InteractionCallbackBody;
  }
  get type(): number {
    return this.callback.type;
  }
  get data(): JsonObject | undefined {
    return this.callback.data;
  }
  get content(): string | undefined {
    const content = this.data?.content;
    return typeof content === 'string' ? content : undefined;
  }
  get embeds(): APIEmbed[] {
    const embeds = this.data?.embeds;
    return Array.isArray(embeds) ? (embeds as APIEmbed[]) : [];
  }
  get choices(): APIApplicationCommandOptionChoice[] | undefined {
    const choices = this.data?.choices;
    return Array.isArray(choices) ? (choices as APIApplicationCommandOptionChoice[]) : undefined;
  }
  get ephemeral(): boolean {
    const flags = this.data?.flags;
    return typeof flags === 'number' && (flags & MessageFlags.Ephemeral) !== 0;
  }

  original(): APIMessage | undefined {
    const id = this.#record.originalMessageId;
    return id ? this.#state.messages.get(id)?.message : undefined;
  }

  followUps(): APIMessage[] {
    return this.#record.followUpIds
      .map((id) => this.#state.messages.get(id))
      .filter((s): s is StoredMessage => s !== undefined && !s.deleted)
      .map((s) => s.message);
  }

  waitForEdit(options: WaitOptions = {}): Promise<RecordedRequest> {
    const base = `/webhooks/${this.#state.applicationId}/${this.#record.token}/messages/`;
    return this.#double.waitForRequest(
      (r) =>
        r.seq > this.request.seq &&
        r.method === 'PATCH' &&
        (r.path === `${base}@original` || (this.#record.originalMessageId !== undefined && r.path === `${base}${this.#record.originalMessageId}`)),
      options,
    );
  }

  waitForFollowUp(options: WaitOptions = {}): Promise<RecordedRequest> {
    const path = `/webhooks/${this.#state.applicationId}/${this.#record.token}`;
    return this.#double.waitForRequest((r) => r.seq > this.request.seq && r.method === 'POST' && r.path === path, options);
  }

  async waitForResponse(options: WaitOptions = {}): Promise<APIMessage> {
    const type = this.type;
    if (type === 4 || type === 7) {
      const original = this.original();
      if (!original) throw new Error(`The callback (type ${type}) was rejected with ${this.status}: ${JSON.stringify(this.request.response)}`);
      return original;
    }
    if (type !== 5 && type !== 6) throw new Error(`The interaction was answered with callback type ${type}, which has no message`);
    const webhook = `/webhooks/${this.#state.applicationId}/${this.#record.token}`;
    const request = await this.#double.waitForRequest(
      (r) =>
        r.seq > this.request.seq &&
        r.status >= 200 &&
        r.status < 300 &&
        ((r.method === 'PATCH' && r.path.startsWith(`${webhook}/messages/`)) || (r.method === 'POST' && r.path === webhook)),
      options,
    );
    return request.response as APIMessage;
  }
}
