import { ChannelType, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder, type APIEmbedField } from 'discord.js';
import { z } from 'zod';
import { defineCommand, type CommandContext } from '../src/bot/command.js';
import { BRAND_COLOUR, ephemeralText, type Reply } from '../src/bot/reply.js';
import { REPLY_MODES, type GuildSettings } from '../src/storage/store.js';

const snowflake = z.string().regex(/^\d{17,20}$/);
const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

const options = z.discriminatedUnion('subcommand', [
  z.object({ subcommand: z.literal('channels add'), channel: snowflake }),
  z.object({ subcommand: z.literal('channels remove'), channel: snowflake }),
  z.object({ subcommand: z.literal('channels list') }),
  z.object({ subcommand: z.literal('auto-answer'), enabled: z.boolean() }),
  z.object({ subcommand: z.literal('confidence'), percent: z.number().int().min(30).max(100) }),
  z.object({ subcommand: z.literal('reply-mode'), mode: z.enum(REPLY_MODES) }),
  z.object({ subcommand: z.literal('retention'), days: z.number().int().min(1).max(365) }),
  z.object({ subcommand: z.literal('show') }),
]);
type ConfigOptions = z.infer<typeof options>;

export const config = defineCommand({
  definition: new SlashCommandBuilder()
    .setName('config')
    .setDescription('Where and how the bot answers questions in this server (Manage Server)')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommandGroup((group) =>
      group
        .setName('channels')
        .setDescription('The channels where the bot answers questions unasked')
        .addSubcommand((sub) =>
          sub
            .setName('add')
            .setDescription('Answer questions asked in this channel')
            .addChannelOption((o) => o.setName('channel').setDescription('A text channel').setRequired(true).addChannelTypes(...TEXT_CHANNELS)),
        )
        .addSubcommand((sub) =>
          sub
            .setName('remove')
            .setDescription('Stop answering in this channel')
            .addChannelOption((o) => o.setName('channel').setDescription('A watched channel').setRequired(true).addChannelTypes(...TEXT_CHANNELS)),
        )
        .addSubcommand((sub) => sub.setName('list').setDescription('The watched channels')),
    )
    .addSubcommand((sub) =>
      sub
        .setName('auto-answer')
        .setDescription('Pause or resume answering in watched channels')
        .addBooleanOption((o) => o.setName('enabled').setDescription('On or off').setRequired(true)),
    )
    .addSubcommand((sub) =>
      sub
        .setName('confidence')
        .setDescription('How sure the bot must be before it answers unasked (default 60 %)')
        .addIntegerOption((o) => o.setName('percent').setDescription('30 to 100; higher means fewer, surer answers').setRequired(true).setMinValue(30).setMaxValue(100)),
    )
    .addSubcommand((sub) =>
      sub
        .setName('reply-mode')
        .setDescription('Answer as a reply to the question, or in a new thread')
        .addStringOption((o) =>
          o.setName('mode').setDescription('reply or thread').setRequired(true).addChoices({ name: 'reply', value: 'reply' }, { name: 'thread', value: 'thread' }),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('retention')
        .setDescription('How many days question texts are kept for /kb stats (default 30)')
        .addIntegerOption((o) => o.setName('days').setDescription('1 to 365').setRequired(true).setMinValue(1).setMaxValue(365)),
    )
    .addSubcommand((sub) => sub.setName('show').setDescription('All of this server’s settings'))
    .toJSON(),
  options,
  moderatorOnly: true,
  ephemeral: () => true,
  handle({ options, invoker }, context) {
    if (!invoker.guildId) return ephemeralText('Use this command in a server.');
    return configure(invoker.guildId, options, context);
  },
});

function configure(guildId: string, options: ConfigOptions, { store, discord }: CommandContext): Reply {
  const update = (change: (s: GuildSettings) => GuildSettings) => store.updateSettings(guildId, change);
  switch (options.subcommand) {
    case 'channels add': {
      const access = discord.channelAccess(guildId, options.channel);
      if (!access.ok) return ephemeralText(`I cannot answer in <#${options.channel}>: ${access.problem}`);
      const settings = update((s) => ({ ...s, watchedChannelIds: [...new Set([...s.watchedChannelIds, options.channel])] }));
      const paused = settings.autoAnswer ? '' : ' Auto-answer is paused: turn it on with `/config auto-answer enabled:True`.';
      return ephemeralText(`I will answer questions asked in <#${options.channel}>.${paused}${intentWarning(discord)}`);
    }
    case 'channels remove': {
      const before = store.settings(guildId).watchedChannelIds;
      if (!before.includes(options.channel)) return ephemeralText(`<#${options.channel}> was not a watched channel.`);
      update((s) => ({ ...s, watchedChannelIds: s.watchedChannelIds.filter((id) => id !== options.channel) }));
      return ephemeralText(`I will no longer answer in <#${options.channel}>.`);
    }
    case 'channels list': {
      const channels = store.settings(guildId).watchedChannelIds;
      return ephemeralText(channels.length ? `Watched channels: ${channels.map((id) => `<#${id}>`).join(', ')}` : 'No watched channels yet: add one with `/config channels add`.');
    }
    case 'auto-answer':
      update((s) => ({ ...s, autoAnswer: options.enabled }));
      return ephemeralText(options.enabled ? 'Auto-answer is on in the watched channels.' : 'Auto-answer is paused; slash commands still work.');
    case 'confidence':
      update((s) => ({ ...s, minConfidence: options.percent / 100 }));
      return ephemeralText(`Auto-answers now need a confidence of at least ${options.percent} %.`);
    case 'reply-mode':
      update((s) => ({ ...s, replyMode: options.mode }));
      return ephemeralText(options.mode === 'thread' ? 'Auto-answers will open a thread on the question.' : 'Auto-answers will reply to the question.');
    case 'retention':
      update((s) => ({ ...s, retentionDays: options.days }));
      return ephemeralText(`Question texts will be kept for ${options.days} day${options.days === 1 ? '' : 's'}.`);
    case 'show':
      return { ephemeral: true, embeds: [{ color: BRAND_COLOUR, title: 'Settings for this server', fields: settingsFields(store.settings(guildId), discord) }] };
  }
}

function settingsFields(settings: GuildSettings, discord: CommandContext['discord']): APIEmbedField[] {
  return [
    { name: 'Watched channels', value: settings.watchedChannelIds.map((id) => `<#${id}>`).join(', ') || 'none' },
    { name: 'Auto-answer', value: `${settings.autoAnswer ? 'on' : 'paused'}${intentWarning(discord)}`, inline: true },
    { name: 'Confidence needed', value: `${Math.round(settings.minConfidence * 100)} %`, inline: true },
    { name: 'Answers as', value: settings.replyMode === 'thread' ? 'a thread' : 'a reply', inline: true },
    { name: 'Question texts kept', value: `${settings.retentionDays} days`, inline: true },
  ];
}

function intentWarning(discord: CommandContext['discord']): string {
  return discord.readsMessages()
    ? ''
    : '\n⚠️ The Message Content intent is off, so I cannot read channel messages yet: enable it on the Bot page of the Discord developer portal and restart me.';
}
