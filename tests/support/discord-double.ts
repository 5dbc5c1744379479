/**
 * A test double of Discord (REST + gateway on one 127.0.0.1 port) for end-to-end tests of the bot.
 * Implementation: ./discord-double/ (gateway.ts, http.ts + routes.ts, state.ts, interactions.ts,
 * fixtures.ts, validation.ts).
 *
 * Typical e2e use (the bot runs as a child process):
 *
 *   const discord = await startDiscordDouble();
 *   const bot = spawn('npm', ['start'], { env: { ...process.env, DISCORD_API_URL: discord.apiUrl, DISCORD_TOKEN: discord.token } });
 *   try {
 *     await discord.waitForReady({ timeoutMs: 15_000 });          // IDENTIFY -> READY -> GUILD_CREATE done
 *     const reply = await discord.slash('ask', { question: 'How do I get into MLOps?' });
 *     expect(reply.type).toBe(4);                                   // or: (await reply.waitForResponse()).content
 *     const denied = await discord.slash('config show', {}, { manageGuild: false, bypassCommandPermissions: true });
 *   } finally {
 *     bot.kill();                 // stop the client first ...
 *     await discord.close();      // ... then the double (idempotent)
 *   }
 *
 * Worth knowing:
 * - Interactions are only delivered to sessions that are ready: wait for `ready`/`waitForReady()` first.
 * - Once the bot registered commands, `slash()` & co. use the registered schema (option types,
 *   required options, choices, subcommands, default_member_permissions) and refuse what a Discord
 *   client would not let a user send; before registration, option types are inferred from values.
 * - The bot has 3 s (`deadlineMs`) for its first callback; later callbacks get 10062 Unknown interaction.
 * - discord.js retries 429s and 5xx by itself: `failNext({ status: 429 })` delays, it does not fail.
 * - Message events the bot causes are echoed over the gateway (MESSAGE_CREATE etc.), filtered by
 *   the session's intents, like Discord does; bots should ignore their own messages.
 * - Forums: a channel fixture of type GuildForum or GuildMedia takes `tags`; `createForumPost()` sends
 *   THREAD_CREATE, then the starter message (the post's id); the bot tags a post with PATCH applied_tags
 *   (Manage Threads unless it opened the post), echoed as THREAD_UPDATE. `startUserThread()` opens a
 *   member's thread under a text channel; `setPermissionOverwrites()` changes a channel's permissions at
 *   runtime (CHANNEL_UPDATE), the bot's role named `BOT_ROLE`.
 */
export {
  startDiscordDouble,
  BOT_ROLE,
  DiscordDouble,
  type DiscordDoubleOptions,
  type ForumPostOptions,
  type UserThreadOptions,
  type GatewayControls,
  type InteractionCallbackBody,
  type InteractionResult,
  type MessageFilter,
  type UserMessageOptions,
} from './discord-double/double.js';
export type {
  AttachmentOptionInput,
  InteractionSpec,
  InvokeContext,
  MessageRef,
  SlashOptionValue,
  TypedOptionValue,
} from './discord-double/interactions.js';
export type { FailureHandle, FailureOptions, RecordedRequest, RequestMatcher } from './discord-double/http.js';
export type { GatewayConnectionInfo, GatewaySession, ReceivedGatewayPayload } from './discord-double/gateway.js';
export type { InteractionRecord, JsonObject, RecordedFile, StoredMessage } from './discord-double/state.js';
export type { WaitOptions } from './discord-double/wait.js';
export { DiscordErrors, DiscordHttpError, type DiscordErrorBody, type FieldError } from './discord-double/errors.js';
export {
  ALL_PERMISSIONS,
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  DEFAULT_MODERATOR_PERMISSIONS,
  createDefaultGuild,
  createDefaultUsers,
  createGuildFixture,
  createUser,
  toPermissionBits,
  type ChannelFixture,
  type ChannelOptions,
  type DefaultUsers,
  type ForumTagFixture,
  type GuildFixture,
  type GuildOptions,
  type MemberFixture,
  type OverwriteFixture,
  type PermissionInput,
  type RoleFixture,
  type UserOptions,
} from './discord-double/fixtures.js';
export { nextSnowflake, snowflakeTimestamp } from './discord-double/snowflake.js';
