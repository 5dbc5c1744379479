import { z } from 'zod';
import { canonicalTimeZone, nextPostTime, parseLocalTime } from '../scheduling/tipSchedule.js';
import { FORUM_TAG_PURPOSES, REPLY_MODES, type ForumTagPurpose, type ForumTags, type GuildSettings, type ReplyMode, type Store, type TipPost } from '../storage/store.js';
import { ALONE, type ChangeFeed } from './changes.js';
import type { BotPermission, PermissionProblems } from './permissions.js';

/** What a channel is to be used for: answering in it (a forum: in its posts), daily tips, or tagging a forum's posts. */
export type ChannelUse = 'answers' | 'tips' | 'tags';

/** Whether the bot can do that in a channel (and whether it is a forum), and if not, why, in words a moderator can act on. */
export type ChannelAccess = { ok: true; forum: boolean } | { ok: false; problem: string };

/** A tag a forum's posts can carry. */
export interface ForumTag {
  id: string;
  name: string;
}

/** The little the layer asks of Discord itself, answered from the client's cache. */
export interface DiscordAccess {
  channelAccess(guildId: string, channelId: string, use: ChannelUse): ChannelAccess;
  /** The tags of a forum or media channel; none when it is not one the bot can see. */
  forumTags(guildId: string, forumId: string): ForumTag[];
  /** Whether Discord sends the bot message content (the privileged Message Content intent is enabled). */
  readsMessages(): boolean;
}

/** Tells the daily-tip scheduler that a server's tip settings changed. */
export interface DailyTipsControl {
  refresh(guildId: string): void;
}

/** The values a moderator may set, checked here whoever asks (a slash command, a later web page). */
export const SETTING_VALUES = {
  channelId: z.string().regex(/^\d{17,20}$/),
  /** The confidence an auto-answer needs, in percent; none for the answer model's default line. */
  confidencePercent: z.number().int().min(30).max(100).optional(),
  replyMode: z.enum(REPLY_MODES),
  retentionDays: z.number().int().min(1).max(365),
};

/** A refused setting names the value that was wrong and why, in words a moderator can act on. */
export type SettingResult = { ok: true; settings: GuildSettings } | { ok: false; field: 'channel' | 'time' | 'timeZone' | ForumTagPurpose; problem: string };

/** A watched channel, and whether it is a forum (answered in new posts). */
export type WatchResult = (SettingResult & { ok: false }) | { ok: true; settings: GuildSettings; forum: boolean };

/** A moderator's choice of a forum's tags: a tag's id or name (any case) for each purpose; none turns that one off. */
export type ForumTagChoice = Partial<Record<ForumTagPurpose, string>>;

export interface TipStatus {
  tips: GuildSettings['tips'];
  last: TipPost | undefined;
  /** When the next tip is due, while tips are on. */
  next?: Date;
}

/**
 * A server's settings: where and how the bot answers unasked, how long questions are kept, daily tips. They are
 * read for every message in a watched server, so each process keeps those it read (some 300 bytes a server)
 * until it or another process changes them.
 */
export class GuildSettingsControl {
  private readonly cache = new Map<string, GuildSettings>();
  /** Counts changes: settings read before one are returned but not kept. */
  private version = 0;

  constructor(
    private readonly store: Store,
    private readonly discord: DiscordAccess,
    private readonly dailyTips: DailyTipsControl,
    private readonly permissions: PermissionProblems,
    private readonly now: () => Date,
    private readonly changes: ChangeFeed = ALONE,
  ) {
    changes.subscribe((change) => {
      if (change.kind === 'settings') this.forget(change.guildId);
    });
  }

  async of(guildId: string): Promise<GuildSettings> {
    const cached = this.cache.get(guildId);
    if (cached) return cached;
    const version = this.version;
    const settings = await this.store.settings(guildId);
    if (version === this.version) this.cache.set(guildId, settings);
    return settings;
  }

  /** Settings changed by this process without this layer (the tip scheduler turning tips off): read them again, everywhere. */
  changed(guildId: string): void {
    this.forget(guildId);
    this.changes.publish({ kind: 'settings', guildId });
  }

  /** Whether the bot can read channel messages at all (the Message Content intent). */
  readsMessages(): boolean {
    return this.discord.readsMessages();
  }

  /** A text or announcement channel (and its threads), or a forum or media channel (its new posts). */
  async watchChannel(guildId: string, channelId: string): Promise<WatchResult> {
    const id = SETTING_VALUES.channelId.parse(channelId);
    const access = this.discord.channelAccess(guildId, id, 'answers');
    if (!access.ok) return { ok: false, field: 'channel', problem: access.problem };
    const settings = await this.update(guildId, (s) => ({ ...s, watchedChannelIds: [...new Set([...s.watchedChannelIds, id])] }));
    return { ok: true, settings, forum: access.forum };
  }

  /** False when the channel was not watched. */
  async unwatchChannel(guildId: string, channelId: string): Promise<boolean> {
    if (!(await this.of(guildId)).watchedChannelIds.includes(channelId)) return false;
    await this.update(guildId, (s) => ({ ...s, watchedChannelIds: s.watchedChannelIds.filter((id) => id !== channelId) }));
    return true;
  }

  /** Whether questions in threads under watched text channels are answered too. */
  async setWatchThreads(guildId: string, enabled: boolean): Promise<GuildSettings> {
    return this.update(guildId, (s) => ({ ...s, watchThreads: z.boolean().parse(enabled) }));
  }

  /** The tags a forum's posts can carry, for a moderator to choose from. */
  forumTagChoices(guildId: string, forumId: string): ForumTag[] {
    return SETTING_VALUES.channelId.safeParse(forumId).success ? this.discord.forumTags(guildId, forumId) : [];
  }

  /**
   * The tags the bot adds to a forum's posts: one when it answered a post, one when the member who asked finds
   * the answer helpful. Refused when the forum has no such tag, or the bot may not tag its posts.
   */
  async setForumTags(guildId: string, forumId: string, choice: ForumTagChoice): Promise<SettingResult> {
    const id = SETTING_VALUES.channelId.parse(forumId);
    const tagging = FORUM_TAG_PURPOSES.some((purpose) => choice[purpose]?.trim());
    const tags: ForumTags = { answered: null, solved: null };
    if (tagging) {
      const access = this.discord.channelAccess(guildId, id, 'tags');
      if (!access.ok) return { ok: false, field: 'channel', problem: access.problem };
      const available = this.discord.forumTags(guildId, id);
      for (const purpose of FORUM_TAG_PURPOSES) {
        const wanted = choice[purpose]?.trim();
        if (!wanted) continue;
        const tag = available.find((t) => t.id === wanted || t.name.toLowerCase() === wanted.toLowerCase());
        if (!tag) return { ok: false, field: purpose, problem: noSuchTag(wanted, available) };
        tags[purpose] = tag.id;
      }
    }
    const settings = await this.update(guildId, (s) => {
      const { [id]: _turnedOff, ...others } = s.forumTags;
      return { ...s, forumTags: tagging ? { ...others, [id]: tags } : others };
    });
    return { ok: true, settings };
  }

  /**
   * The tag to add to a post in a forum for `purpose`, when the server's `settings` name one and the bot may add it
   * (from the permissions it was `granted` there; one it lacks is reported once).
   */
  tagToAdd(settings: GuildSettings, forumId: string, purpose: ForumTagPurpose, granted: readonly BotPermission[]): string | undefined {
    const tagId = settings.forumTags[forumId]?.[purpose];
    return tagId && this.permissions.allows(settings.guildId, forumId, 'tag forum posts', granted) ? tagId : undefined;
  }

  async setAutoAnswer(guildId: string, enabled: boolean): Promise<GuildSettings> {
    return this.update(guildId, (s) => ({ ...s, autoAnswer: z.boolean().parse(enabled) }));
  }

  async setConfidence(guildId: string, percent: number | undefined): Promise<GuildSettings> {
    const checked = SETTING_VALUES.confidencePercent.parse(percent);
    return this.update(guildId, (s) => ({ ...s, minConfidence: checked === undefined ? null : checked / 100 }));
  }

  async setReplyMode(guildId: string, mode: ReplyMode): Promise<GuildSettings> {
    return this.update(guildId, (s) => ({ ...s, replyMode: SETTING_VALUES.replyMode.parse(mode) }));
  }

  async setRetention(guildId: string, days: number): Promise<GuildSettings> {
    return this.update(guildId, (s) => ({ ...s, retentionDays: SETTING_VALUES.retentionDays.parse(days) }));
  }

  /** A tip a day in a channel at a local time ("HH:MM" as typed) in an IANA zone (any case). */
  async setTips(guildId: string, tips: { channelId: string; time: string; timeZone: string }): Promise<SettingResult> {
    const time = parseLocalTime(tips.time);
    if (!time) return { ok: false, field: 'time', problem: `“${tips.time}” is not a time of day: use 24-hour HH:MM, such as 09:00 or 18:30.` };
    const timeZone = canonicalTimeZone(tips.timeZone);
    if (!timeZone) return { ok: false, field: 'timeZone', problem: `“${tips.timeZone}” is not a time zone I know: use an IANA name such as Europe/Berlin, America/New_York or Asia/Kolkata.` };
    const channelId = SETTING_VALUES.channelId.parse(tips.channelId);
    const access = this.discord.channelAccess(guildId, channelId, 'tips');
    if (!access.ok) return { ok: false, field: 'channel', problem: access.problem };
    const settings = await this.update(guildId, (s) => ({ ...s, tips: { channelId, time, timeZone, enabled: true, disabledReason: null } }));
    this.dailyTips.refresh(guildId);
    return { ok: true, settings };
  }

  async tipsOff(guildId: string): Promise<void> {
    await this.update(guildId, (s) => ({ ...s, tips: s.tips && { ...s.tips, enabled: false, disabledReason: null } }));
    this.dailyTips.refresh(guildId);
  }

  async tipStatus(guildId: string): Promise<TipStatus> {
    const { tips } = await this.of(guildId);
    const last = tips ? await this.store.lastTipPost(guildId) : undefined;
    return { tips, last, ...(tips?.enabled ? { next: nextPostTime(tips, this.now()) } : {}) };
  }

  private async update(guildId: string, change: (s: GuildSettings) => GuildSettings): Promise<GuildSettings> {
    this.forget(guildId);
    const settings = await this.store.updateSettings(guildId, change);
    this.cache.set(guildId, settings);
    this.changes.publish({ kind: 'settings', guildId });
    return settings;
  }

  private forget(guildId: string): void {
    this.version++;
    this.cache.delete(guildId);
  }
}

function noSuchTag(wanted: string, available: readonly ForumTag[]): string {
  const tags = available.length ? `its tags are ${available.map((t) => `“${t.name}”`).join(', ')}` : 'it has no tags (a moderator adds them in the forum’s settings)';
  return `that forum has no tag “${wanted}”: ${tags}.`;
}
