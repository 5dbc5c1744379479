import type { Answer } from '../answering/engine.js';
import type { Guilds } from '../guilds/guilds.js';
import type { BotPermission, BotTask } from '../guilds/permissions.js';
import type { GuildSettings, MemberHash, ReplyMode, Store } from '../storage/store.js';
import { shorten } from '../text/cut.js';
import { answerButtons } from './answerButtons.js';
import { answerEmbed } from './answerReply.js';
import { Cooldown } from './cooldown.js';
import { withinQuestionBounds } from './questionDetection.js';
import { fitToDiscordLimits, type Reply } from './reply.js';

/** Where a message was posted. */
export type MessagePlace =
  | { kind: 'channel' }
  /** A thread under a text or announcement channel. */
  | { kind: 'thread'; parentId: string; openedByBot: boolean }
  /** A post in a forum or media channel: a thread its starter message opens, under the post's title. */
  | { kind: 'forum-post'; forumId: string; title: string; starter: boolean };

/** A message in a server channel, reduced to what deciding needs. */
export interface ChannelMessage {
  id: string;
  guildId: string;
  /** For a thread or a post, the thread's. */
  channelId: string;
  authorId: string;
  /** From a bot, a webhook or Discord itself: never answered. */
  automated: boolean;
  content: string;
  place: MessagePlace;
  /** What the bot may do where the message is. */
  granted: readonly BotPermission[];
}

/** So the bot never floods a channel. A thread counts as a channel of its own. */
export const AUTO_ANSWER_LIMITS = {
  channelCooldownMs: 30_000,
  /** A forum's posts are answered once each, inside them, so a forum takes more answers than a channel. */
  forumAnswers: 10,
  forumWindowMs: 60_000,
  memberAnswers: 3,
  memberWindowMs: 10 * 60_000,
  repeatWindowMs: 10 * 60_000,
};

/** How an answer is posted: a reply, a thread opened on the question, or a message in the forum post. */
export type AnswerMode = ReplyMode | 'in-post';

export type SilenceReason =
  | 'automated'
  | 'not-watched'
  | 'threads-off'
  /** The thread the bot opened for an answer: its answer was given. */
  | 'answer-thread'
  /** A reply inside a forum post: only the post itself is a question. */
  | 'not-a-new-post'
  | 'auto-answer-off'
  | 'not-a-question'
  | 'missing-permission'
  | 'opted-out'
  | 'repeated'
  | 'channel-cooldown'
  | 'forum-limit'
  | 'member-limit'
  | 'not-confident';

export type AutoAnswerDecision =
  | { kind: 'silent'; reason: SilenceReason }
  | {
      kind: 'answer';
      reply: Reply;
      mode: AnswerMode;
      threadName: string;
      /** A tag to add to the forum post answered. */
      tagId: string | undefined;
      answer: Answer;
      asker: MemberHash;
      /** The post failed: the question is not answered, so it is no repeat and takes no channel or member turn. */
      release(): void;
    };

/**
 * Decides whether to answer a channel message unasked. Silent unless the channel is watched (a thread: its
 * parent, unless the server turned threads off; a forum post: its forum, for the post's first message),
 * auto-answer is on, a person asked something that looks like a question, the bot may answer there, they
 * have not opted out, and the engine is at least as confident as the server requires; no "not covered" noise
 * in channels. Questions asked in watched channels are logged (for /kb stats), whether answered or not.
 */
export class AutoAnswerer {
  private readonly channelCooldown: Cooldown;
  private readonly forumLimit: Cooldown;
  private readonly memberCooldown: Cooldown;
  private readonly recentQuestions = new Map<string, number>();

  constructor(
    private readonly guilds: Guilds,
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.channelCooldown = new Cooldown(1, AUTO_ANSWER_LIMITS.channelCooldownMs, now);
    this.forumLimit = new Cooldown(AUTO_ANSWER_LIMITS.forumAnswers, AUTO_ANSWER_LIMITS.forumWindowMs, now);
    this.memberCooldown = new Cooldown(AUTO_ANSWER_LIMITS.memberAnswers, AUTO_ANSWER_LIMITS.memberWindowMs, now);
  }

  async decide(message: ChannelMessage): Promise<AutoAnswerDecision> {
    if (message.automated) return silent('automated');
    const { guildId, place } = message;
    const settings = await this.guilds.settings.of(guildId);
    const unwatched = whyUnwatched(message, settings);
    if (unwatched) return silent(unwatched);
    if (!settings.autoAnswer) return silent('auto-answer-off');
    const text = questionText(message);
    if (!withinQuestionBounds(text)) return silent('not-a-question');
    if (!this.guilds.permissions.allows(guildId, watchedChannelOf(message), ANSWER_TASKS[place.kind], message.granted)) return silent('missing-permission');
    const asker = this.store.memberHash(message.authorId);
    if (await this.store.isOptedOut(guildId, asker)) return silent('opted-out');

    // The channel model weighs both whether the message asks something and whether the answer would be right.
    const answer = await this.guilds.questions.askInChannel(guildId, message.authorId, text, settings.minConfidence);
    if (!answer.answered) return silent('not-confident');
    // From here on nothing is awaited: checking and taking the turns is one step that no other message can
    // interleave with. Turns are taken now and given back if the post fails, so a message arriving while this
    // one's answer is being posted cannot slip past the limits.
    if (this.isRepeat(guildId, answer.question)) return silent('repeated');
    const placeTurn = place.kind === 'forum-post' ? this.forumLimit.take(place.forumId) : this.channelCooldown.take(message.channelId);
    if (!placeTurn.allowed) return silent(place.kind === 'forum-post' ? 'forum-limit' : 'channel-cooldown');
    const memberTurn = this.memberCooldown.take(`${guildId}:${asker}`);
    if (!memberTurn.allowed) {
      placeTurn.giveBack();
      return silent('member-limit');
    }
    const questionKey = repeatKey(guildId, answer.question);
    this.recentQuestions.set(questionKey, this.now().getTime());

    return {
      kind: 'answer',
      answer,
      asker,
      mode: this.modeFor(message, settings),
      threadName: threadName(answer.question),
      tagId: place.kind === 'forum-post' ? this.guilds.settings.tagToAdd(settings, place.forumId, 'answered', message.granted) : undefined,
      reply: channelAnswerReply(answer),
      release: () => {
        placeTurn.giveBack();
        memberTurn.giveBack();
        this.recentQuestions.delete(questionKey);
      },
    };
  }

  /** Remembers a posted answer so its buttons can find it. */
  recordPosted(message: ChannelMessage, decision: Extract<AutoAnswerDecision, { kind: 'answer' }>, posted: { id: string; channelId: string }): Promise<void> {
    return this.store.recordAnswer({
      messageId: posted.id,
      guildId: message.guildId,
      // Where its buttons are pressed: the thread, when it was posted in one.
      channelId: posted.channelId,
      asker: decision.asker,
      questionMessageId: message.id,
      passageIds: decision.answer.passages.map((p) => p.id),
      confidence: decision.answer.confidence,
      postedAt: this.now(),
    });
  }

  /** Inside a post or a thread, a message there; in a channel, the server's choice, where the bot may open threads. */
  private modeFor(message: ChannelMessage, settings: GuildSettings): AnswerMode {
    if (message.place.kind === 'forum-post') return 'in-post';
    if (message.place.kind === 'thread' || settings.replyMode === 'reply') return 'reply';
    return this.guilds.permissions.allows(message.guildId, message.channelId, 'open answer threads', message.granted) ? 'thread' : 'reply';
  }

  private isRepeat(guildId: string, question: string): boolean {
    const now = this.now().getTime();
    for (const [key, at] of this.recentQuestions) if (at <= now - AUTO_ANSWER_LIMITS.repeatWindowMs) this.recentQuestions.delete(key);
    return this.recentQuestions.has(repeatKey(guildId, question));
  }
}

/** An answer posted in a channel unasked: the answer, and buttons to vote on it or delete it. */
export function channelAnswerReply(answer: Answer): Reply {
  return fitToDiscordLimits({ embeds: [answerEmbed(answer)], components: [answerButtons({ helpful: 0, notHelpful: 0 })], ephemeral: false });
}

const silent = (reason: SilenceReason): AutoAnswerDecision => ({ kind: 'silent', reason });

const ANSWER_TASKS: Record<MessagePlace['kind'], BotTask> = {
  channel: 'answer in channels',
  thread: 'answer in threads',
  'forum-post': 'answer in forum posts',
};

function whyUnwatched({ place, channelId }: ChannelMessage, settings: GuildSettings): SilenceReason | undefined {
  const watched = (id: string) => settings.watchedChannelIds.includes(id);
  switch (place.kind) {
    case 'channel':
      return watched(channelId) ? undefined : 'not-watched';
    case 'thread':
      if (!watched(place.parentId)) return 'not-watched';
      if (!settings.watchThreads) return 'threads-off';
      return place.openedByBot ? 'answer-thread' : undefined;
    case 'forum-post':
      if (!watched(place.forumId)) return 'not-watched';
      return place.starter ? undefined : 'not-a-new-post';
  }
}

/** The watched channel a message is under: its permissions are the ones a moderator fixes. */
function watchedChannelOf({ place, channelId }: ChannelMessage): string {
  return place.kind === 'channel' ? channelId : place.kind === 'thread' ? place.parentId : place.forumId;
}

/** A forum post asks in its title and its first message together. */
function questionText({ place, content }: ChannelMessage): string {
  return place.kind === 'forum-post' ? [place.title, content].filter(Boolean).join('\n') : content;
}

const repeatKey = (guildId: string, question: string) => `${guildId}:${question.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()}`;

/** Discord thread names are at most 100 characters. */
function threadName(question: string): string {
  return shorten(question, 90);
}
