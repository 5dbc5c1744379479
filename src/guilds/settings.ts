import { z } from 'zod';
import { canonicalTimeZone, nextPostTime, parseLocalTime } from '../scheduling/tipSchedule.js';
import { REPLY_MODES, type GuildSettings, type ReplyMode, type Store, type TipPost } from '../storage/store.js';
import { ALONE, type ChangeFeed } from './changes.js';

/** Whether the bot can post in a channel, and if not, why, in words a moderator can act on. */
export type ChannelAccess = { ok: true } | { ok: false; problem: string };

/** The little the layer asks of Discord itself, answered from the client's cache. */
export interface DiscordAccess {
  channelAccess(guildId: string, channelId: string): ChannelAccess;
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
export type SettingResult = { ok: true; settings: GuildSettings } | { ok: false; field: 'channel' | 'time' | 'timeZone'; problem: string };

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

  async watchChannel(guildId: string, channelId: string): Promise<SettingResult> {
    const id = SETTING_VALUES.channelId.parse(channelId);
    const access = this.discord.channelAccess(guildId, id);
    if (!access.ok) return { ok: false, field: 'channel', problem: access.problem };
    return { ok: true, settings: await this.update(guildId, (s) => ({ ...s, watchedChannelIds: [...new Set([...s.watchedChannelIds, id])] })) };
  }

  /** False when the channel was not watched. */
  async unwatchChannel(guildId: string, channelId: string): Promise<boolean> {
    if (!(await this.of(guildId)).watchedChannelIds.includes(channelId)) return false;
    await this.update(guildId, (s) => ({ ...s, watchedChannelIds: s.watchedChannelIds.filter((id) => id !== channelId) }));
    return true;
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
    const access = this.discord.channelAccess(guildId, channelId);
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
