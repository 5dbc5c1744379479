import { ChannelType, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder, type APIEmbedField } from 'discord.js';
import { z } from 'zod';
import { ANSWER_MODEL } from '../src/answering/decision.js';
import { defineCommand, type CommandContext } from '../src/bot/command.js';
import { BRAND_COLOUR, ephemeralText, type Reply } from '../src/bot/reply.js';
import { permissionWords, type PermissionProblem } from '../src/guilds/permissions.js';
import { SETTING_VALUES, type ForumTag, type GuildSettingsControl, type TipStatus } from '../src/guilds/settings.js';
import { formatInZone, nextPostTime, TIME_ZONES } from '../src/scheduling/tipSchedule.js';
import type { ForumTags, GuildSettings, TipPost } from '../src/storage/store.js';

const snowflake = SETTING_VALUES.channelId;
const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;
const FORUMS = [ChannelType.GuildForum, ChannelType.GuildMedia] as const;
/** Discord's longest tag name; a snowflake, as autocomplete picks a tag by its id, is no longer. */
const TAG_MAX_LENGTH = 20;
const tagOption = z.string().max(TAG_MAX_LENGTH).optional();
/** The line the answer model chose from labelled channel messages (see npm run train). */
const DEFAULT_LINE_PERCENT = Math.round(ANSWER_MODEL.channel.defaultConfidence * 100);

const options = z.discriminatedUnion('subcommand', [
  z.object({ subcommand: z.literal('channels add'), channel: snowflake }),
  z.object({ subcommand: z.literal('channels remove'), channel: snowflake }),
  z.object({ subcommand: z.literal('channels list') }),
  z.object({ subcommand: z.literal('threads'), enabled: z.boolean() }),
  z.object({ subcommand: z.literal('forum-tag'), forum: snowflake, answered: tagOption, solved: tagOption }),
  z.object({ subcommand: z.literal('auto-answer'), enabled: z.boolean() }),
  z.object({ subcommand: z.literal('confidence'), percent: SETTING_VALUES.confidencePercent }),
  z.object({ subcommand: z.literal('reply-mode'), mode: SETTING_VALUES.replyMode }),
  z.object({ subcommand: z.literal('retention'), days: SETTING_VALUES.retentionDays }),
  z.object({ subcommand: z.literal('show') }),
  z.object({ subcommand: z.literal('tips set'), channel: snowflake, time: z.string(), timezone: z.string() }),
  z.object({ subcommand: z.literal('tips off') }),
  z.object({ subcommand: z.literal('tips show') }),
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
            .setDescription('Answer questions asked in this channel (a forum: its new posts)')
            .addChannelOption((o) =>
              o.setName('channel').setDescription('A text, announcement, forum or media channel').setRequired(true).addChannelTypes(...TEXT_CHANNELS, ...FORUMS),
            ),
        )
        .addSubcommand((sub) =>
          sub
            .setName('remove')
            .setDescription('Stop answering in this channel')
            .addChannelOption((o) => o.setName('channel').setDescription('A watched channel').setRequired(true).addChannelTypes(...TEXT_CHANNELS, ...FORUMS)),
        )
        .addSubcommand((sub) => sub.setName('list').setDescription('The watched channels')),
    )
    .addSubcommand((sub) =>
      sub
        .setName('threads')
        .setDescription('Answer in threads under watched text channels too (default on)')
        .addBooleanOption((o) => o.setName('enabled').setDescription('On or off').setRequired(true)),
    )
    .addSubcommand((sub) =>
      sub
        .setName('forum-tag')
        .setDescription('Tags the bot adds to a forum’s posts; leave both out to stop tagging there')
        .addChannelOption((o) => o.setName('forum').setDescription('A forum or media channel').setRequired(true).addChannelTypes(...FORUMS))
        .addStringOption((o) => o.setName('answered').setDescription('Added to posts the bot answered').setMaxLength(TAG_MAX_LENGTH).setAutocomplete(true))
        .addStringOption((o) => o.setName('solved').setDescription('Added when the member who asked finds the answer helpful').setMaxLength(TAG_MAX_LENGTH).setAutocomplete(true)),
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
        .setDescription(`How sure the bot must be before it answers unasked (default ${DEFAULT_LINE_PERCENT} %)`)
        .addIntegerOption((o) => o.setName('percent').setDescription('30 to 100; higher means fewer, surer answers; leave out for the default').setMinValue(30).setMaxValue(100)),
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
    .addSubcommandGroup((group) =>
      group
        .setName('tips')
        .setDescription('A daily tip posted to a channel')
        .addSubcommand((sub) =>
          sub
            .setName('set')
            .setDescription('Post a tip every day in a channel, at a local time')
            .addChannelOption((o) => o.setName('channel').setDescription('Where tips go').setRequired(true).addChannelTypes(...TEXT_CHANNELS))
            .addStringOption((o) => o.setName('time').setDescription('Local time, 24-hour HH:MM, e.g. 09:00').setRequired(true).setMaxLength(5))
            .addStringOption((o) => o.setName('timezone').setDescription('IANA time zone, e.g. Europe/Berlin').setRequired(true).setAutocomplete(true)),
        )
        .addSubcommand((sub) => sub.setName('off').setDescription('Stop the daily tips'))
        .addSubcommand((sub) => sub.setName('show').setDescription('The tip schedule, the next post and the last one')),
    )
    .toJSON(),
  options,
  moderatorOnly: true,
  ephemeral: () => true,
  async handle({ options, invoker }, context) {
    if (!invoker.guildId) return ephemeralText('Use this command in a server.');
    return options.subcommand.startsWith('tips ') ? configureTips(invoker.guildId, options, context) : configure(invoker.guildId, options, context);
  },
  autocomplete(focused, { guilds }, invoker, filled) {
    if (focused.name === 'answered' || focused.name === 'solved') {
      if (!invoker.guildId || typeof filled.forum !== 'string') return [];
      const typed = focused.value.trim().toLowerCase();
      return guilds.settings
        .forumTagChoices(invoker.guildId, filled.forum)
        .filter((tag) => tag.name.toLowerCase().includes(typed))
        .map((tag) => ({ name: tag.name, value: tag.id }));
    }
    if (focused.name !== 'timezone') return [];
    const typed = focused.value.trim().toLowerCase().replace(/\s+/g, '_');
    return TIME_ZONES.filter((zone) => zone.toLowerCase().includes(typed)).map((zone) => ({ name: zone, value: zone }));
  },
});

async function configureTips(guildId: string, options: ConfigOptions, { guilds, now }: CommandContext): Promise<Reply> {
  switch (options.subcommand) {
    case 'tips set': {
      const set = await guilds.settings.setTips(guildId, { channelId: options.channel, time: options.time, timeZone: options.timezone });
      if (!set.ok) return ephemeralText(set.field === 'channel' ? `I cannot post tips in <#${options.channel}>: ${set.problem}` : set.problem);
      const { time, timeZone } = set.settings.tips!;
      const next = nextPostTime({ time, timeZone }, now());
      return ephemeralText(
        `Daily tips on: <#${options.channel}> at ${time} (${timeZone}). If today's time has already passed, today's tip goes out now; ` +
          `after that the next is <t:${Math.floor(next.getTime() / 1000)}:F>.`,
      );
    }
    case 'tips off':
      await guilds.settings.tipsOff(guildId);
      return ephemeralText('Daily tips are off.');
    default:
      return { ephemeral: true, embeds: [{ color: BRAND_COLOUR, title: 'Daily tips', fields: tipFields(await guilds.settings.tipStatus(guildId)) }] };
  }
}

const LAST_POST_STATUS: Record<TipPost['status'], string> = {
  claimed: 'being posted',
  sent: 'posted',
  failed: 'not posted',
  unconfirmed: 'perhaps posted (Discord did not answer, even when asked again; not tried again today, so never posted twice)',
};

function tipFields({ tips, last, next }: TipStatus): APIEmbedField[] {
  if (!tips) return [{ name: 'Status', value: 'off: turn them on with `/config tips set`' }];
  const status = tips.enabled ? 'on' : tips.disabledReason ? `off: ${tips.disabledReason}. Fix it, then \`/config tips set\` again.` : 'off';
  const fields: APIEmbedField[] = [
    { name: 'Status', value: status },
    { name: 'Channel', value: `<#${tips.channelId}>`, inline: true },
    { name: 'Time', value: `${tips.time} (${tips.timeZone})`, inline: true },
  ];
  if (next) fields.push({ name: 'Next post', value: `${formatInZone(next, tips.timeZone)} (${tips.timeZone}), <t:${Math.floor(next.getTime() / 1000)}:R>` });
  fields.push({ name: 'Last post', value: last ? `${last.localDay}: ${LAST_POST_STATUS[last.status]}` : 'none yet' });
  return fields;
}

async function configure(guildId: string, options: ConfigOptions, { guilds }: CommandContext): Promise<Reply> {
  const { settings } = guilds;
  switch (options.subcommand) {
    case 'channels add': {
      const watched = await settings.watchChannel(guildId, options.channel);
      if (!watched.ok) return ephemeralText(`I cannot answer in <#${options.channel}>: ${watched.problem}`);
      const paused = watched.settings.autoAnswer ? '' : ' Auto-answer is paused: turn it on with `/config auto-answer enabled:True`.';
      const where = watched.forum ? `new posts in <#${options.channel}>, inside each post` : `questions asked in <#${options.channel}>`;
      return ephemeralText(`I will answer ${where}.${paused}${intentWarning(settings)}`);
    }
    case 'threads':
      await settings.setWatchThreads(guildId, options.enabled);
      return ephemeralText(
        options.enabled ? 'I will answer questions in threads under the watched text channels too.' : 'I will answer only in the watched channels themselves, not in their threads.',
      );
    case 'forum-tag': {
      const set = await settings.setForumTags(guildId, options.forum, { answered: options.answered, solved: options.solved });
      if (!set.ok) return ephemeralText(`I cannot tag posts in <#${options.forum}>: ${set.problem}`);
      const tags = set.settings.forumTags[options.forum];
      const unwatched = set.settings.watchedChannelIds.includes(options.forum) ? '' : ` I do not answer there yet: add it with \`/config channels add\`.`;
      return ephemeralText(tags ? `In <#${options.forum}> ${forumTagsText(tags, settings.forumTagChoices(guildId, options.forum))}.${unwatched}` : `I will not tag posts in <#${options.forum}>.`);
    }
    case 'channels remove':
      return ephemeralText(
        (await settings.unwatchChannel(guildId, options.channel)) ? `I will no longer answer in <#${options.channel}>.` : `<#${options.channel}> was not a watched channel.`,
      );
    case 'channels list': {
      const channels = (await settings.of(guildId)).watchedChannelIds;
      return ephemeralText(channels.length ? `Watched channels: ${channels.map((id) => `<#${id}>`).join(', ')}` : 'No watched channels yet: add one with `/config channels add`.');
    }
    case 'auto-answer':
      await settings.setAutoAnswer(guildId, options.enabled);
      return ephemeralText(options.enabled ? 'Auto-answer is on in the watched channels.' : 'Auto-answer is paused; slash commands still work.');
    case 'confidence':
      await settings.setConfidence(guildId, options.percent);
      return ephemeralText(`Auto-answers now need a confidence of at least ${options.percent ?? DEFAULT_LINE_PERCENT} %${options.percent === undefined ? ' (the default)' : ''}.`);
    case 'reply-mode':
      await settings.setReplyMode(guildId, options.mode);
      return ephemeralText(options.mode === 'thread' ? 'Auto-answers will open a thread on the question.' : 'Auto-answers will reply to the question.');
    case 'retention':
      await settings.setRetention(guildId, options.days);
      return ephemeralText(`Question texts will be kept for ${options.days} day${options.days === 1 ? '' : 's'}.`);
    case 'show': {
      const fields = [...settingsFields(guildId, await settings.of(guildId), settings), ...permissionFields(guilds.permissions.of(guildId))];
      return { ephemeral: true, embeds: [{ color: BRAND_COLOUR, title: 'Settings for this server', fields }] };
    }
    default:
      throw new Error(`not a general setting: ${options.subcommand}`);
  }
}

function settingsFields(guildId: string, settings: GuildSettings, control: GuildSettingsControl): APIEmbedField[] {
  const forums = Object.entries(settings.forumTags).map(([forumId, tags]) => `<#${forumId}>: ${forumTagsText(tags, control.forumTagChoices(guildId, forumId))}`);
  return [
    { name: 'Watched channels', value: settings.watchedChannelIds.map((id) => `<#${id}>`).join(', ') || 'none' },
    { name: 'Threads under them', value: settings.watchThreads ? 'answered too' : 'not answered', inline: true },
    ...(forums.length ? [{ name: 'Forum tags', value: forums.join('\n') }] : []),
    { name: 'Auto-answer', value: `${settings.autoAnswer ? 'on' : 'paused'}${intentWarning(control)}`, inline: true },
    { name: 'Confidence needed', value: settings.minConfidence === null ? `${DEFAULT_LINE_PERCENT} % (default)` : `${Math.round(settings.minConfidence * 100)} %`, inline: true },
    { name: 'Answers as', value: settings.replyMode === 'thread' ? 'a thread' : 'a reply', inline: true },
    { name: 'Question texts kept', value: `${settings.retentionDays} days`, inline: true },
    { name: 'Daily tips', value: settings.tips?.enabled ? `<#${settings.tips.channelId}> at ${settings.tips.time} (${settings.tips.timeZone})` : 'off', inline: true },
  ];
}

/** "I add “Answered” to posts I answer, and “Solved” when the member who asked finds my answer helpful". */
function forumTagsText(tags: ForumTags, available: readonly ForumTag[]): string {
  const name = (id: string) => `“${available.find((tag) => tag.id === id)?.name ?? 'a tag the forum no longer has'}”`;
  const parts = [
    ...(tags.answered ? [`${name(tags.answered)} to posts I answer`] : []),
    ...(tags.solved ? [`${name(tags.solved)} when the member who asked finds my answer helpful`] : []),
  ];
  return `I add ${parts.join(', and ')}`;
}

/** What the bot could not do for lack of permissions, until a moderator grants them. */
function permissionFields(problems: readonly PermissionProblem[]): APIEmbedField[] {
  if (!problems.length) return [];
  const lines = problems.map((p) => `<#${p.channelId}>: to ${p.task}, I need ${permissionWords(p.missing)}.`);
  return [{ name: '⚠️ Missing permissions', value: lines.join('\n') }];
}

function intentWarning(control: GuildSettingsControl): string {
  return control.readsMessages()
    ? ''
    : '\n⚠️ The Message Content intent is off, so I cannot read channel messages yet: enable it on the Bot page of the Discord developer portal and restart me.';
}
