import { z } from 'zod';

/**
 * What the bot keeps between restarts, behind one interface with two backends: SQLite (one file, the default)
 * and PostgreSQL (DATABASE_URL, for shards in several processes). Members appear only as keyed hashes
 * (`MemberHash`), never as ids. Every method but `memberHash` returns a promise, as a network database needs.
 */

export const REPLY_MODES = ['reply', 'thread'] as const;
export type ReplyMode = (typeof REPLY_MODES)[number];

export const tipScheduleSchema = z.object({
  channelId: z.string(),
  /** Local time of day, "HH:MM". */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  /** IANA zone, e.g. "Europe/Berlin". */
  timeZone: z.string().min(1),
  enabled: z.boolean(),
  /** Why tips were turned off by the bot itself (channel gone, no permission), shown by /config tips show. */
  disabledReason: z.string().nullable(),
});
export type TipSchedule = z.infer<typeof tipScheduleSchema>;

export const FORUM_TAG_PURPOSES = ['answered', 'solved'] as const;
export type ForumTagPurpose = (typeof FORUM_TAG_PURPOSES)[number];

/** The tags the bot adds to a forum's posts, by their ids in the forum: none where null. */
export const forumTagsSchema = z.object({
  /** Added to a post the bot answered. */
  answered: z.string().nullable(),
  /** Added when the member who asked finds the answer helpful. */
  solved: z.string().nullable(),
});
export type ForumTags = z.infer<typeof forumTagsSchema>;

export const guildSettingsSchema = z.object({
  guildId: z.string(),
  watchedChannelIds: z.array(z.string()),
  autoAnswer: z.boolean(),
  /** 0–1: the confidence an auto-answer needs; null for the answer model's default line. */
  minConfidence: z.number().min(0).max(1).nullable(),
  replyMode: z.enum(REPLY_MODES),
  /** How long question texts are kept, in days. */
  retentionDays: z.number().int().min(1).max(365),
  tips: tipScheduleSchema.nullable(),
  // Added later: settings saved before them read with their defaults.
  /** Threads under watched text channels are watched too. */
  watchThreads: z.boolean().default(true),
  /** Tags to add to posts, by forum (or media channel) id. */
  forumTags: z.record(z.string(), forumTagsSchema).default({}),
});
export type GuildSettings = z.infer<typeof guildSettingsSchema>;

export type MemberHash = string & { readonly __brand: 'MemberHash' };

/** An answer the bot posted in a channel, so votes and deletes can find it. */
export interface PostedAnswer {
  messageId: string;
  guildId: string;
  channelId: string;
  /** The member whose message was answered. */
  asker: MemberHash;
  /** The member's message the answer replies to. */
  questionMessageId: string;
  passageIds: string[];
  confidence: number;
  postedAt: Date;
}

export type VoteValue = 1 | -1;
export interface VoteTally {
  helpful: number;
  notHelpful: number;
}

export interface QuestionRecord {
  guildId: string;
  asker: MemberHash;
  question: string;
  answered: boolean;
  confidence: number;
  /** Content words nothing in the knowledge base matched. */
  unmatchedTerms: string[];
  passageIds: string[];
  via: 'slash' | 'channel';
  askedAt: Date;
}

/** Questions asked on one UTC day, "YYYY-MM-DD". */
export interface DayCount {
  day: string;
  answered: number;
  declined: number;
}

export interface KnowledgeStats {
  questions7d: number;
  questions30d: number;
  answered30d: number;
  declined30d: number;
  /** The last 30 UTC days, oldest first, today last (so far), days without questions included. */
  questionsPerDay: DayCount[];
  mostAsked: { question: string; count: number }[];
  mostDeclined: { question: string; count: number }[];
  unmatchedTerms: { term: string; count: number }[];
  worstPassages: { passageId: string; helpful: number; notHelpful: number }[];
}

/** How long the parts of a server entry may be: a reply has room for one answer and its source. */
export const ENTRY_LIMITS = { title: 100, questions: 10, question: 200, answer: 1500, link: 500 } as const;

/** What a moderator writes in a server entry, validated on every write and read. */
export const entryContentSchema = z.object({
  title: z.string().trim().min(1, 'the title is empty').max(ENTRY_LIMITS.title, `the title is longer than ${ENTRY_LIMITS.title} characters`),
  questions: z
    .array(z.string().trim().min(1).max(ENTRY_LIMITS.question, `a question is longer than ${ENTRY_LIMITS.question} characters`))
    .max(ENTRY_LIMITS.questions, `there are more than ${ENTRY_LIMITS.questions} questions`),
  answer: z.string().trim().min(1, 'the answer is empty').max(ENTRY_LIMITS.answer, `the answer is longer than ${ENTRY_LIMITS.answer.toLocaleString('en-US')} characters`),
  link: z
    .url({ protocol: /^https?$/, error: 'the link is not a web address (https://…)' })
    .max(ENTRY_LIMITS.link, `the link is longer than ${ENTRY_LIMITS.link} characters`)
    .nullable(),
});
export type EntryContent = z.infer<typeof entryContentSchema>;

/** A server's own FAQ entry: searched and answered in that server only. */
export interface GuildEntry extends EntryContent {
  id: number;
  guildId: string;
  /** The name of the member who last edited it, shown with its answers; null once they asked to be forgotten. */
  editedBy: string | null;
  editedAt: Date;
}

/** An entry to write: it replaces the entry with `id`, or is added. */
export interface EntryChange extends EntryContent {
  id?: number;
  editor: { member: MemberHash; name: string };
  editedAt: Date;
}

export type EntrySaveResult =
  | { ok: true; saved: GuildEntry[]; added: number; updated: number }
  /** Nothing was written: the server would have more than `limit` entries. */
  | { ok: false; problem: 'limit'; limit: number }
  /** Nothing was written: another entry has this title. */
  | { ok: false; problem: 'title-taken'; title: string }
  /** Nothing was written: no entry has this id in the server (removed meanwhile). */
  | { ok: false; problem: 'missing'; id: number };

/** A question a server taught the bot: from then on one of a passage's phrasings, in that server. */
export interface TaughtPhrasing {
  guildId: string;
  phrasing: string;
  /** A shared passage's id, or a server entry's passage id. */
  passageId: string;
  taughtAt: Date;
}

/** A server with its own knowledge: what its index holds, and when it was last active. */
export interface GuildKnowledgeActivity {
  guildId: string;
  /** Its entries and taught phrasings, at least 1. */
  entriesAndPhrasings: number;
  /** The latest of its entries' edits, its phrasings' teaching and the questions asked in it that are still kept. */
  lastActiveAt: Date;
}

export interface TipPost {
  guildId: string;
  /** The server's local date the post belongs to, "YYYY-MM-DD". */
  localDay: string;
  tipId: string;
  /**
   * `failed`: Discord refused it, nothing was posted, and the day may be claimed again. `unconfirmed`: Discord
   * did not answer, so it may have been posted: the day stays claimed, never to be posted twice.
   */
  status: 'claimed' | 'sent' | 'failed' | 'unconfirmed';
  messageId: string | null;
  claimedAt: Date;
}

export interface Store {
  /** A member's id as stored: a keyed hash (HMAC), with the key kept outside the database and never logged. */
  memberHash(userId: string): MemberHash;

  /** Settings of a server, or the defaults when it never changed any. */
  settings(guildId: string): Promise<GuildSettings>;
  updateSettings(guildId: string, change: (current: GuildSettings) => GuildSettings): Promise<GuildSettings>;
  /** Servers whose tips are switched on. */
  guildsWithTips(): Promise<GuildSettings[]>;

  isOptedOut(guildId: string, member: MemberHash): Promise<boolean>;
  setOptedOut(guildId: string, member: MemberHash, optedOut: boolean): Promise<void>;

  recordAnswer(answer: PostedAnswer): Promise<void>;
  /** Found only where it was posted: a button press from another server or channel finds nothing. */
  answer(where: Pick<PostedAnswer, 'guildId' | 'channelId' | 'messageId'>): Promise<PostedAnswer | undefined>;
  deleteAnswer(messageId: string): Promise<void>;

  /** One vote per member per answer; voting again replaces the vote. */
  vote(messageId: string, voter: MemberHash, value: VoteValue): Promise<VoteTally>;
  tally(messageId: string): Promise<VoteTally>;

  /**
   * Records questions in one transaction, waiting only briefly for another process's write lock: recording is
   * best-effort (see QuestionLog) and must not hold up answers.
   */
  logQuestions(records: readonly QuestionRecord[]): Promise<void>;
  knowledgeStats(guildId: string, now: Date): Promise<KnowledgeStats>;
  /** Deletes question texts older than each server's retention; returns how many went. */
  purgeExpiredQuestions(now: Date): Promise<number>;
  /** A server's questions of the last 30 days, oldest first. */
  recentQuestions(guildId: string, now: Date): Promise<QuestionRecord[]>;
  /**
   * Deletes everything kept about a member: questions, votes, opt-outs, answer links; their name on the entries
   * they edited is removed. Returns rows deleted or changed.
   */
  forgetMember(member: MemberHash): Promise<number>;

  /** A server's entries, in the order they were added. */
  guildEntries(guildId: string): Promise<GuildEntry[]>;
  /**
   * Writes entries in one transaction: an entry with an id replaces that entry; one without replaces the entry
   * of the same title (any case) when `sameTitle` is 'replace', and is added otherwise. Nothing is written when
   * the server would pass `maxEntries`, or two entries would share a title.
   */
  saveGuildEntries(guildId: string, changes: readonly EntryChange[], options: { maxEntries: number; sameTitle: 'replace' | 'refuse' }): Promise<EntrySaveResult>;
  /** Removes an entry and the phrasings taught to it; returns it, or undefined when the server has no such entry. */
  removeGuildEntry(guildId: string, id: number, passageId: string): Promise<GuildEntry | undefined>;

  /** A server's taught phrasings, or every server's when no server is named, oldest first. */
  taughtPhrasings(guildId?: string): Promise<TaughtPhrasing[]>;
  /**
   * Teaches a phrasing (a phrasing already taught moves to the new passage); false when the server already has
   * `maxPhrasings` others.
   */
  teach(phrasing: TaughtPhrasing, maxPhrasings: number): Promise<boolean>;
  /** Forgets a taught phrasing (any case); false when the server had none such. */
  unteach(guildId: string, phrasing: string): Promise<boolean>;
  /** The servers with entries or taught phrasings, the most recently active first. */
  guildsWithOwnKnowledge(): Promise<GuildKnowledgeActivity[]>;

  /**
   * Claims a server's local day for a tip post, atomically: true for exactly one caller per server and day,
   * across processes sharing the database, and again once a post of that day `failed`. Claim before sending,
   * so a restart never posts twice.
   */
  claimTipDay(guildId: string, localDay: string, tipId: string, now: Date): Promise<boolean>;
  markTipPost(guildId: string, localDay: string, status: Exclude<TipPost['status'], 'claimed'>, messageId: string | null): Promise<void>;
  lastTipPost(guildId: string): Promise<TipPost | undefined>;
  /** Tip ids posted (or perhaps posted) in the server's current round: no repeat until every tip was used. */
  tipsUsedThisRound(guildId: string): Promise<string[]>;
  startNewTipRound(guildId: string): Promise<void>;

  close(): Promise<void>;
}

export function defaultGuildSettings(guildId: string): GuildSettings {
  return {
    guildId,
    watchedChannelIds: [],
    autoAnswer: true,
    minConfidence: null,
    replyMode: 'reply',
    retentionDays: 30,
    tips: null,
    watchThreads: true,
    forumTags: {},
  };
}
