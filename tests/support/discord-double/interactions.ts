/**
 * Builders for realistic INTERACTION_CREATE payloads: chat-input commands (with subcommands and
 * resolved users/channels/roles), autocomplete, context menus, message components and modals.
 * When the bot has registered its commands, option types, required options, choices and
 * `default_member_permissions` come from the registered definitions, and the builders refuse
 * what a Discord client would not let a user send.
 */
import { ApplicationCommandOptionType, ComponentType, InteractionType, PermissionFlagsBits } from 'discord.js';
import type { APIApplicationCommand, APIApplicationCommandOption, APIMessage, APIUser } from 'discord.js';
import { toApiMember, toApiRole, toPermissionBits, type GuildFixture, type MemberFixture, type PermissionInput } from './fixtures.js';
import { fakeInteractionToken, nextSnowflake, pastSnowflake } from './snowflake.js';
import type { ChannelState, DoubleState, InteractionRecord, JsonObject } from './state.js';

/** Who invokes an interaction, and where. */
export interface InvokeContext {
  /** Default: the double's default user (a regular member without Manage Server). */
  user?: APIUser;
  /** Default: the first guild. `null` invokes in a DM with the bot. */
  guildId?: string | null;
  /** Default: the guild's first text channel (or the DM channel). */
  channelId?: string;
  /** Role ids or names for the member (default: the member's roles in the fixture). */
  roles?: string[];
  /** `member.permissions` exactly (channel-level bit-field). Default: computed from the fixture. */
  permissions?: PermissionInput;
  /** Shorthand: add (`true`) or remove (`false`) Manage Server on the computed permissions. */
  manageGuild?: boolean;
  /** `app_permissions`. Default: the bot's computed permissions in the channel. */
  appPermissions?: PermissionInput;
  /** Default `en-US`. */
  locale?: string;
  /** Time the bot has for its initial callback before Discord answers 10062. Default 3000 ms. */
  deadlineMs?: number;
  /**
   * How long ago Discord created the interaction: it reaches the bot that late (a slow network, a gateway
   * that queued it). Its id and its deadline date from then. Default 0.
   */
  ageMs?: number;
  /** How long `interact()` waits for the callback. Default deadlineMs + 1000 ms (4 s). */
  timeoutMs?: number;
  /** Deliver even if `default_member_permissions` / `contexts` would hide the command. */
  bypassCommandPermissions?: boolean;
  /** Deliver even if the command is not registered while others are. */
  allowUnregistered?: boolean;
  /**
   * Deliver to this shard's session instead of the guild's own shard, as happens while a bot changes its number
   * of shards: for testing what every shard must agree on.
   */
  shard?: number;
}

/** An uploaded file for an attachment option. */
export interface AttachmentOptionInput {
  filename: string;
  /** Default: the contents' length, or 0. */
  size?: number;
  contentType?: string;
  url?: string;
  /** What the bot reads at the attachment's URL (the double serves it there). Default: nothing is served. */
  contents?: string | Uint8Array;
}

/** An explicit, typed option value (needed when nothing is registered and inference is ambiguous). */
export interface TypedOptionValue {
  type: ApplicationCommandOptionType;
  value: string | number | boolean;
}

export type SlashOptionValue = string | number | boolean | APIUser | AttachmentOptionInput | TypedOptionValue;

export interface ResolvedContext {
  user: APIUser;
  guild: GuildFixture | null;
  channel: ChannelState;
  member: MemberFixture | null;
  memberPermissions: bigint;
  appPermissions: bigint;
  locale: string;
  deadlineMs: number;
  ageMs: number;
}

/** A message: an APIMessage, or the id of (or any object with the id of) a message the double stored. */
export type MessageRef = APIMessage | string | { readonly id: string };

export type InteractionSpec =
  | { kind: 'slash'; name: string; options?: Record<string, SlashOptionValue>; context?: InvokeContext }
  | { kind: 'autocomplete'; name: string; options?: Record<string, SlashOptionValue>; focused?: string; context?: InvokeContext }
  | { kind: 'userCommand'; name: string; target: APIUser; context?: InvokeContext }
  | { kind: 'messageCommand'; name: string; target: MessageRef; context?: InvokeContext }
  | { kind: 'component'; message: MessageRef; customId: string; values?: string[]; context?: InvokeContext }
  /** `labels`: each field comes back in a label (type 18), as from a modal the bot built with labels; else in an action row. */
  | { kind: 'modal'; customId: string; fields: Record<string, string>; message?: MessageRef; context?: InvokeContext; labels?: boolean };

export class InteractionFactory {
  readonly #state: DoubleState;
  readonly #defaultUser: () => APIUser;

  constructor(state: DoubleState, defaultUser: () => APIUser) {
    this.#state = state;
    this.#defaultUser = defaultUser;
  }

  /** Builds the payload and the record the REST side uses to accept the callback. */
  build(spec: InteractionSpec): InteractionRecord {
    switch (spec.kind) {
      case 'slash':
        return this.#command(spec.name, spec.options ?? {}, spec.context ?? {}, InteractionType.ApplicationCommand, undefined);
      case 'autocomplete': {
        const names = Object.keys(spec.options ?? {});
        const focused = spec.focused ?? names[names.length - 1];
        if (focused === undefined) throw new Error(`autocomplete("${spec.name}"): give at least one option (the one being typed)`);
        return this.#command(spec.name, spec.options ?? {}, spec.context ?? {}, InteractionType.ApplicationCommandAutocomplete, focused);
      }
      case 'userCommand':
        return this.#contextMenu(spec.name, 2, spec.target.id, spec.context ?? {}, (ctx) => {
          const resolved: JsonObject = { users: { [spec.target.id]: spec.target } };
          const member = ctx.guild?.members.find((m) => m.user.id === spec.target.id);
          if (member) resolved.members = { [spec.target.id]: partialMember(member) };
          return resolved;
        });
      case 'messageCommand': {
        const target = this.#messageFor(spec.target);
        return this.#contextMenu(spec.name, 3, target.id, { channelId: target.channel_id, ...spec.context }, () => ({
          messages: { [target.id]: target },
        }));
      }
      case 'component':
        return this.#component(spec.message, spec.customId, spec.values, spec.context ?? {});
      case 'modal':
        return this.#modal(spec.customId, spec.fields, spec.message, spec.context ?? {}, spec.labels ?? false);
    }
  }

  /** Resolves who/where: user, guild, channel, member, permissions. */
  resolveContext(context: InvokeContext): ResolvedContext {
    const state = this.#state;
    const user = context.user ?? this.#defaultUser();
    let guild: GuildFixture | null = null;
    let channel: ChannelState | undefined;
    if (context.channelId) {
      channel = state.channels.get(context.channelId);
      if (!channel) throw new Error(`Unknown channel ${context.channelId}; known: ${[...state.channels.keys()].join(', ')}`);
      guild = channel.guildId ? (state.guilds.get(channel.guildId) ?? null) : null;
    } else if (context.guildId === null) {
      channel = state.dmChannelFor(user);
    } else {
      const guildId = context.guildId ?? [...state.guilds.keys()][0];
      guild = guildId ? (state.guilds.get(guildId) ?? null) : null;
      if (!guild) throw new Error(`Unknown guild ${String(guildId)}`);
      const text = state.defaultTextChannel(guild.id);
      if (!text) throw new Error(`Guild ${guild.id} has no text channel; pass channelId`);
      channel = state.channels.get(text.id);
    }
    if (!channel) throw new Error('Could not resolve a channel for the interaction');
    state.users.set(user.id, user);

    let member: MemberFixture | null = null;
    let memberPermissions: bigint;
    if (guild) {
      const fixture = guild.members.find((m) => m.user.id === user.id);
      const roleIds = context.roles
        ? context.roles.map((ref) => {
            const role = guild?.roles.find((r) => r.id === ref || r.name === ref);
            if (!role) throw new Error(`Unknown role "${ref}" in guild ${guild?.id}`);
            return role.id;
          })
        : (fixture?.roles ?? []);
      member = { user, roles: roleIds, nick: fixture?.nick ?? null, joinedAt: fixture?.joinedAt ?? new Date().toISOString() };
      memberPermissions =
        context.permissions !== undefined ? toPermissionBits(context.permissions) : state.permissionsIn(channel.id, user.id, roleIds);
    } else {
      memberPermissions = state.permissionsIn(channel.id, user.id);
    }
    if (context.manageGuild === true) memberPermissions |= PermissionFlagsBits.ManageGuild;
    if (context.manageGuild === false) memberPermissions &= ~(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator);
    const appPermissions =
      context.appPermissions !== undefined ? toPermissionBits(context.appPermissions) : state.permissionsIn(channel.id, state.botUser.id);
    return { user, guild, channel, member, memberPermissions, appPermissions, locale: context.locale ?? 'en-US', deadlineMs: context.deadlineMs ?? 3000, ageMs: context.ageMs ?? 0 };
  }

  // -------------------------------------------------------------------------------------------

  #base(type: InteractionType, ctx: ResolvedContext, data: JsonObject): InteractionRecord {
    const state = this.#state;
    const createdAt = Date.now() - ctx.ageMs;
    const id = ctx.ageMs > 0 ? pastSnowflake(createdAt) : nextSnowflake();
    const token = fakeInteractionToken(id);
    const channelApi = state.channelToApi(ctx.channel) as unknown as JsonObject;
    const payload: JsonObject = {
      id,
      application_id: state.applicationId,
      type,
      data,
      channel_id: ctx.channel.id,
      channel: { ...channelApi, permissions: ctx.memberPermissions.toString() },
      token,
      version: 1,
      app_permissions: ctx.appPermissions.toString(),
      locale: ctx.locale,
      entitlements: [],
      authorizing_integration_owners: { '0': ctx.guild?.id ?? '0' },
      context: ctx.guild ? 0 : 1,
      attachment_size_limit: 10_485_760,
    };
    if (ctx.guild && ctx.member) {
      payload.guild_id = ctx.guild.id;
      payload.guild = { id: ctx.guild.id, locale: ctx.guild.preferredLocale, features: ctx.guild.features };
      payload.guild_locale = ctx.guild.preferredLocale;
      payload.member = toApiMember(ctx.member, { permissions: ctx.memberPermissions });
    } else {
      payload.user = ctx.user;
    }
    return {
      id,
      token,
      type,
      payload,
      channelId: ctx.channel.id,
      guildId: ctx.guild?.id ?? null,
      user: ctx.user,
      createdAt,
      deadlineAt: createdAt + ctx.deadlineMs,
      loading: false,
      followUpIds: [],
    };
  }

  #registered(name: string, type: number, ctx: ResolvedContext, context: InvokeContext): APIApplicationCommand | undefined {
    const state = this.#state;
    const guildId = ctx.guild?.id ?? null;
    const command = state.findCommand(name, guildId, type);
    if (!command) {
      if (state.hasAnyCommands(guildId) && !context.allowUnregistered) {
        const known = [...state.globalCommands.values(), ...(guildId ? [...(state.guildCommands.get(guildId)?.values() ?? [])] : [])]
          .map((c) => `${c.name} (type ${c.type ?? 1})`)
          .join(', ');
        throw new Error(`Command "${name}" (type ${type}) is not registered, so Discord would not offer it. Registered: ${known}. Pass { allowUnregistered: true } to send it anyway.`);
      }
      return undefined;
    }
    if (context.bypassCommandPermissions) return command;
    if (ctx.guild) {
      const required = command.default_member_permissions;
      if (required !== null && required !== undefined) {
        const bits = BigInt(required);
        const has = (ctx.memberPermissions & PermissionFlagsBits.Administrator) !== 0n || (bits !== 0n && (ctx.memberPermissions & bits) === bits);
        if (!has) {
          throw new Error(
            `Command "${name}" has default_member_permissions=${required} and ${ctx.user.username} lacks them (has ${ctx.memberPermissions}), so Discord would hide it. ` +
              'Pass { bypassCommandPermissions: true } to deliver it anyway (e.g. to test the bot\'s own check).',
          );
        }
      }
    } else {
      const contexts = (command as { contexts?: number[] | null }).contexts;
      const dmAllowed = Array.isArray(contexts) ? contexts.includes(1) : (command as { dm_permission?: boolean }).dm_permission !== false && !('guild_id' in command);
      if (!dmAllowed) throw new Error(`Command "${name}" is not available in DMs. Pass { bypassCommandPermissions: true } to deliver it anyway.`);
    }
    return command;
  }

  #command(
    fullName: string,
    values: Record<string, SlashOptionValue>,
    context: InvokeContext,
    type: InteractionType.ApplicationCommand | InteractionType.ApplicationCommandAutocomplete,
    focused: string | undefined,
  ): InteractionRecord {
    const parts = fullName.trim().split(/\s+/);
    const root = parts[0] ?? '';
    const ctx = this.resolveContext(context);
    const command = this.#registered(root, 1, ctx, context);
    const resolved: Record<string, Record<string, unknown>> = {};

    // Walk subcommand group / subcommand.
    let schema: readonly APIApplicationCommandOption[] | undefined = command?.options;
    const path: Array<{ name: string; type: number }> = [];
    for (const [index, part] of parts.slice(1).entries()) {
      const remaining = parts.length - 1 - index;
      const found = schema?.find((o) => o.name === part);
      if (command && (!found || (found.type !== ApplicationCommandOptionType.Subcommand && found.type !== ApplicationCommandOptionType.SubcommandGroup))) {
        throw new Error(`"/${parts.slice(0, index + 2).join(' ')}" is not a subcommand of the registered /${root}`);
      }
      const kind = found?.type ?? (remaining === 2 ? ApplicationCommandOptionType.SubcommandGroup : ApplicationCommandOptionType.Subcommand);
      path.push({ name: part, type: kind });
      schema = found && 'options' in found ? (found.options as readonly APIApplicationCommandOption[] | undefined) : undefined;
    }
    if (command && path.length === 0 && command.options?.some((o) => o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup)) {
      throw new Error(`/${root} has subcommands; name one, e.g. "${root} ${command.options.find((o) => o.type <= 2)?.name}"`);
    }

    const leaf: JsonObject[] = [];
    for (const [name, raw] of Object.entries(values)) {
      const option = schema?.find((o) => o.name === name);
      if (command && !option) {
        throw new Error(`/${fullName} has no option "${name}"; options: ${(schema ?? []).map((o) => o.name).join(', ') || '(none)'}`);
      }
      const isFocused = name === focused;
      leaf.push(this.#optionValue(name, raw, option, ctx, resolved, isFocused));
    }
    if (command && type === InteractionType.ApplicationCommand) {
      for (const option of schema ?? []) {
        if ('required' in option && option.required && !(option.name in values)) {
          throw new Error(`/${fullName} requires option "${option.name}" (Discord would not let the user send it without)`);
        }
      }
    }
    if (focused !== undefined && !leaf.some((o) => o.focused === true)) {
      throw new Error(`autocomplete: focused option "${focused}" is not among the options given`);
    }

    let options: JsonObject[] = leaf;
    for (const level of [...path].reverse()) options = [{ name: level.name, type: level.type, options }];

    const data: JsonObject = {
      id: command?.id ?? this.#state.syntheticCommandId(root),
      name: root,
      type: 1,
      ...(options.length > 0 ? { options } : {}),
      ...(command && 'guild_id' in command && command.guild_id ? { guild_id: command.guild_id } : {}),
      ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
    };
    const record = this.#base(type, ctx, data);
    record.commandName = root;
    record.commandType = 1;
    return record;
  }

  #optionValue(
    name: string,
    raw: SlashOptionValue,
    schema: APIApplicationCommandOption | undefined,
    ctx: ResolvedContext,
    resolved: Record<string, Record<string, unknown>>,
    focused: boolean,
  ): JsonObject {
    const T = ApplicationCommandOptionType;
    const explicit = isTyped(raw) ? raw : undefined;
    const value = explicit ? explicit.value : raw;
    const type: ApplicationCommandOptionType = explicit?.type ?? schema?.type ?? inferType(value);
    const add = (bucket: string, id: string, entry: unknown) => {
      resolved[bucket] ??= {};
      (resolved[bucket] as Record<string, unknown>)[id] = entry;
    };
    if (focused) {
      // Autocomplete sends what the user has typed so far, as a string, for every option type.
      return { name, type, value: typeof value === 'object' ? JSON.stringify(value) : String(value), focused: true };
    }
    switch (type) {
      case T.String: {
        const str = String(value);
        const choices = schema && 'choices' in schema ? schema.choices : undefined;
        if (choices && choices.length > 0 && !choices.some((c) => c.value === str)) {
          throw new Error(`Option "${name}" only accepts ${choices.map((c) => JSON.stringify(c.value)).join(', ')}; got ${JSON.stringify(str)}`);
        }
        return { name, type, value: str };
      }
      case T.Integer:
      case T.Number: {
        const num = typeof value === 'number' ? value : Number(value);
        if (!Number.isFinite(num) || (type === T.Integer && !Number.isInteger(num))) {
          throw new Error(`Option "${name}" is ${type === T.Integer ? 'an integer' : 'a number'}; got ${JSON.stringify(value)}`);
        }
        return { name, type, value: num };
      }
      case T.Boolean:
        return { name, type, value: value === true || value === 'true' };
      case T.User:
      case T.Mentionable: {
        const user = typeof value === 'object' && value !== null && 'username' in value ? (value as APIUser) : this.#state.users.get(String(value));
        if (user) {
          add('users', user.id, user);
          const member = ctx.guild?.members.find((m) => m.user.id === user.id);
          if (member && ctx.guild) {
            add('members', user.id, { ...partialMember(member), permissions: this.#state.permissionsIn(ctx.channel.id, user.id).toString() });
          }
          return { name, type, value: user.id };
        }
        const role = ctx.guild?.roles.find((r) => r.id === String(value) || r.name === String(value));
        if (role && type === T.Mentionable) {
          add('roles', role.id, toApiRole(role));
          return { name, type, value: role.id };
        }
        throw new Error(`Option "${name}": unknown user ${JSON.stringify(value)} (pass an APIUser or the id of a known user)`);
      }
      case T.Role: {
        const role = ctx.guild?.roles.find((r) => r.id === String(value) || r.name === String(value));
        if (!role) throw new Error(`Option "${name}": unknown role ${JSON.stringify(value)}`);
        add('roles', role.id, toApiRole(role));
        return { name, type, value: role.id };
      }
      case T.Channel: {
        const channel = this.#state.channels.get(String(value)) ??
          [...this.#state.channels.values()].find((c) => c.fixture?.name === String(value) || c.thread?.name === String(value));
        if (!channel) throw new Error(`Option "${name}": unknown channel ${JSON.stringify(value)}`);
        const allowed = schema && 'channel_types' in schema ? schema.channel_types : undefined;
        if (allowed?.length && !(allowed as number[]).includes(channel.type)) {
          throw new Error(`Option "${name}" takes channels of types ${allowed.join(', ')}; Discord's client would not offer ${channel.id} (type ${channel.type})`);
        }
        const api = this.#state.channelToApi(channel) as unknown as JsonObject;
        add('channels', channel.id, {
          id: channel.id,
          name: api.name,
          type: channel.type,
          permissions: this.#state.permissionsIn(channel.id, ctx.user.id).toString(),
          ...(api.parent_id ? { parent_id: api.parent_id } : {}),
          ...(api.thread_metadata ? { thread_metadata: api.thread_metadata } : {}),
        });
        return { name, type, value: channel.id };
      }
      case T.Attachment: {
        const input = (typeof value === 'object' && value !== null ? value : { filename: String(value) }) as AttachmentOptionInput;
        const id = nextSnowflake();
        const url = input.url ?? `${this.#state.origin}/attachments/${ctx.channel.id}/${id}/${encodeURIComponent(input.filename)}`;
        const contents = input.contents === undefined ? undefined : Buffer.from(input.contents);
        if (contents) {
          this.#state.uploads.set(id, { field: name, name: input.filename, contentType: input.contentType ?? 'application/octet-stream', size: contents.length, data: contents });
        }
        add('attachments', id, {
          id,
          filename: input.filename,
          size: input.size ?? contents?.length ?? 0,
          url,
          proxy_url: url,
          content_type: input.contentType ?? 'application/octet-stream',
          ephemeral: true,
        });
        return { name, type, value: id };
      }
      default:
        throw new Error(`Option "${name}": type ${type} cannot carry a value`);
    }
  }

  #contextMenu(name: string, commandType: 2 | 3, targetId: string, context: InvokeContext, resolve: (ctx: ResolvedContext) => JsonObject): InteractionRecord {
    const ctx = this.resolveContext(context);
    const command = this.#registered(name, commandType, ctx, context);
    const data: JsonObject = {
      id: command?.id ?? this.#state.syntheticCommandId(`${commandType}:${name}`),
      name,
      type: commandType,
      target_id: targetId,
      resolved: resolve(ctx),
      ...(command && 'guild_id' in command && command.guild_id ? { guild_id: command.guild_id } : {}),
    };
    const record = this.#base(InteractionType.ApplicationCommand, ctx, data);
    record.commandName = name;
    record.commandType = commandType;
    return record;
  }

  #messageFor(ref: MessageRef): APIMessage {
    const id = typeof ref === 'string' ? ref : ref.id;
    const stored = this.#state.messages.get(id);
    if (stored) return stored.message;
    if (typeof ref === 'object' && 'channel_id' in ref && 'author' in ref) return ref;
    throw new Error(`Unknown message ${id}: pass an APIMessage or the id of a message the double has seen`);
  }

  #component(messageRef: MessageRef, customId: string, values: string[] | undefined, context: InvokeContext): InteractionRecord {
    const message = this.#messageFor(messageRef);
    const component = findComponent(message.components ?? [], customId);
    if (!component) {
      throw new Error(`Message ${message.id} has no component with custom_id "${customId}"; it has: ${listCustomIds(message.components ?? []).join(', ') || '(none)'}`);
    }
    if (component.disabled === true) throw new Error(`Component "${customId}" is disabled; Discord would not let the user use it`);
    const componentType = typeof component.type === 'number' ? component.type : ComponentType.Button;
    const ctx = this.resolveContext({ channelId: message.channel_id, ...context });
    const data: JsonObject = { custom_id: customId, component_type: componentType };
    if (componentType !== ComponentType.Button) {
      const picked = values ?? [];
      data.values = picked;
      const resolved = this.#selectResolved(componentType, picked, ctx);
      if (resolved) data.resolved = resolved;
    }
    const record = this.#base(InteractionType.MessageComponent, ctx, data);
    record.payload.message = message;
    record.componentMessageId = message.id;
    return record;
  }

  #selectResolved(componentType: number, values: string[], ctx: ResolvedContext): JsonObject | undefined {
    const resolved: Record<string, Record<string, unknown>> = {};
    for (const value of values) {
      if (componentType === ComponentType.UserSelect || componentType === ComponentType.MentionableSelect) {
        const user = this.#state.users.get(value);
        if (user) {
          (resolved.users ??= {})[value] = user;
          const member = ctx.guild?.members.find((m) => m.user.id === value);
          if (member) (resolved.members ??= {})[value] = partialMember(member);
          continue;
        }
      }
      if (componentType === ComponentType.RoleSelect || componentType === ComponentType.MentionableSelect) {
        const role = ctx.guild?.roles.find((r) => r.id === value);
        if (role) (resolved.roles ??= {})[value] = toApiRole(role);
      }
      if (componentType === ComponentType.ChannelSelect) {
        const channel = this.#state.channels.get(value);
        if (channel) (resolved.channels ??= {})[value] = { id: value, type: channel.type, name: channel.fixture?.name ?? channel.thread?.name ?? null, permissions: '0' };
      }
    }
    return Object.keys(resolved).length > 0 ? resolved : undefined;
  }

  #modal(customId: string, fields: Record<string, string>, messageRef: MessageRef | undefined, context: InvokeContext, labels: boolean): InteractionRecord {
    const message = messageRef === undefined ? undefined : this.#messageFor(messageRef);
    const ctx = this.resolveContext({ ...(message ? { channelId: message.channel_id } : {}), ...context });
    const data: JsonObject = {
      custom_id: customId,
      components: Object.entries(fields).map(([id, value], i) =>
        labels
          ? { type: ComponentType.Label, id: 2 * i + 1, component: { type: ComponentType.TextInput, id: 2 * i + 2, custom_id: id, value } }
          : { type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: id, value }] },
      ),
    };
    const record = this.#base(InteractionType.ModalSubmit, ctx, data);
    if (message) {
      record.payload.message = message;
      record.componentMessageId = message.id;
    }
    return record;
  }
}

function partialMember(member: MemberFixture): JsonObject {
  const { user: _user, ...rest } = toApiMember(member);
  return rest as unknown as JsonObject;
}

function isTyped(value: SlashOptionValue): value is TypedOptionValue {
  return typeof value === 'object' && value !== null && 'type' in value && 'value' in value && typeof (value as TypedOptionValue).type === 'number';
}

function inferType(value: unknown): ApplicationCommandOptionType {
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  if (typeof value === 'object' && value !== null) {
    if ('username' in value) return ApplicationCommandOptionType.User;
    if ('filename' in value) return ApplicationCommandOptionType.Attachment;
  }
  return ApplicationCommandOptionType.String;
}

type LooseComponent = { type?: number; custom_id?: string; disabled?: boolean; components?: unknown[]; accessory?: unknown };

function walkComponents(components: readonly unknown[], visit: (c: LooseComponent) => void): void {
  for (const raw of components) {
    if (typeof raw !== 'object' || raw === null) continue;
    const component = raw as LooseComponent;
    visit(component);
    if (Array.isArray(component.components)) walkComponents(component.components, visit);
    if (component.accessory) walkComponents([component.accessory], visit);
  }
}

function findComponent(components: readonly unknown[], customId: string): LooseComponent | undefined {
  let found: LooseComponent | undefined;
  walkComponents(components, (c) => {
    if (!found && c.custom_id === customId) found = c;
  });
  return found;
}

function listCustomIds(components: readonly unknown[]): string[] {
  const ids: string[] = [];
  walkComponents(components, (c) => {
    if (typeof c.custom_id === 'string') ids.push(c.custom_id);
  });
  return ids;
}
