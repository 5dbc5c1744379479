import type { Answer } from '../answering/engine.js';
import type { Guilds } from '../guilds/guilds.js';
import type { MemberHash, ReplyMode, Store } from '../storage/store.js';
import { shorten } from '../text/cut.js';
import { answerButtons } from './answerButtons.js';
import { answerEmbed } from './answerReply.js';
import { Cooldown } from './cooldown.js';
import { withinQuestionBounds } from './questionDetection.js';
import { fitToDiscordLimits, type Reply } from './reply.js';

/** A message in a server channel, reduced to what deciding needs. */
export interface ChannelMessage {
  id: string;
  guildId: string;
  channelId: string;
  authorId: string;
  /** From a bot, a webhook or Discord itself: never answered. */
  automated: boolean;
  content: string;
}

/** So the bot never floods a channel. */
export const AUTO_ANSWER_LIMITS = {
  channelCooldownMs: 30_000,
  memberAnswers: 3,
  memberWindowMs: 10 * 60_000,
  repeatWindowMs: 10 * 60_000,
};

export type SilenceReason =
  | 'automated'
  | 'not-watched'
  | 'auto-answer-off'
  | 'not-a-question'
  | 'opted-out'
  | 'repeated'
  | 'channel-cooldown'
  | 'member-limit'
  | 'not-confident';

export type AutoAnswerDecision =
  | { kind: 'silent'; reason: SilenceReason }
  | {
      kind: 'answer';
      reply: Reply;
      mode: ReplyMode;
      threadName: string;
      answer: Answer;
      asker: MemberHash;
      /** The post failed: the question is not answered, so it is no repeat and takes no channel or member turn. */
      release(): void;
    };

/**
 * Decides whether to answer a channel message unasked. Silent unless the channel is watched, auto-answer is
 * on, a person asked something that looks like a question, they have not opted out, and the engine is at
 * least as confident as the server requires; no "not covered" noise in channels. Questions asked in watched
 * channels are logged (for /kb stats), whether answered or not.
 */
export class AutoAnswerer {
  private readonly channelCooldown: Cooldown;
  private readonly memberCooldown: Cooldown;
  private readonly recentQuestions = new Map<string, number>();

  constructor(
    private readonly guilds: Guilds,
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.channelCooldown = new Cooldown(1, AUTO_ANSWER_LIMITS.channelCooldownMs, now);
    this.memberCooldown = new Cooldown(AUTO_ANSWER_LIMITS.memberAnswers, AUTO_ANSWER_LIMITS.memberWindowMs, now);
  }

  async decide(message: ChannelMessage): Promise<AutoAnswerDecision> {
    if (message.automated) return silent('automated');
    const settings = await this.guilds.settings.of(message.guildId);
    if (!settings.watchedChannelIds.includes(message.channelId)) return silent('not-watched');
    if (!settings.autoAnswer) return silent('auto-answer-off');
    if (!withinQuestionBounds(message.content)) return silent('not-a-question');
    const asker = this.store.memberHash(message.authorId);
    if (await this.store.isOptedOut(message.guildId, asker)) return silent('opted-out');

    // The channel model weighs both whether the message asks something and whether the answer would be right.
    const answer = await this.guilds.questions.askInChannel(message.guildId, message.authorId, message.content, settings.minConfidence);
    if (!answer.answered) return silent('not-confident');
    // From here on nothing is awaited: checking and taking the turns is one step that no other message can
    // interleave with. Turns are taken now and given back if the post fails, so a message arriving while this
    // one's answer is being posted cannot slip past the limits.
    if (this.isRepeat(message.guildId, answer.question)) return silent('repeated');
    const channelTurn = this.channelCooldown.take(message.channelId);
    if (!channelTurn.allowed) return silent('channel-cooldown');
    const memberTurn = this.memberCooldown.take(`${message.guildId}:${asker}`);
    if (!memberTurn.allowed) {
      channelTurn.giveBack();
      return silent('member-limit');
    }
    const questionKey = repeatKey(message.guildId, answer.question);
    this.recentQuestions.set(questionKey, this.now().getTime());

    return {
      kind: 'answer',
      answer,
      asker,
      mode: settings.replyMode,
      threadName: threadName(answer.question),
      reply: channelAnswerReply(answer),
      release: () => {
        channelTurn.giveBack();
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
const repeatKey = (guildId: string, question: string) => `${guildId}:${question.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()}`;

/** Discord thread names are at most 100 characters. */
function threadName(question: string): string {
  return shorten(question, 90);
}
