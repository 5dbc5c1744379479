import { z } from 'zod';
import {
  entryContentSchema,
  guildSettingsSchema,
  type GuildEntry,
  type GuildKnowledgeActivity,
  type GuildSettings,
  type MemberHash,
  type PostedAnswer,
  type QuestionRecord,
  type TaughtPhrasing,
  type TipPost,
  type VoteTally,
} from './store.js';
import { StoreError } from './storeError.js';

/** Zod schemas for rows as SQLite and PostgreSQL return them, each turning a valid row into the domain type. */

const memberHash = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'is not a member hash')
  .transform((hash) => hash as MemberHash);

const timestamp = z
  .number()
  .int()
  .transform((ms) => new Date(ms));

/** SQLite has no booleans (0 or 1); PostgreSQL has. */
const flag = z.union([z.boolean(), z.literal(0), z.literal(1)]).transform((value) => value === true || value === 1);

const confidence = z.number().min(0).max(1);

function jsonText<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.issues.push({ code: 'custom', message: 'is not valid JSON', input: text });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const stringList = jsonText(z.array(z.string()));

export const hexRow = z.object({ value: z.string().regex(/^[0-9a-f]{64}$/, 'is not 32 bytes in hex') });

export const settingsRow = z
  .object({ guild_id: z.string(), settings: jsonText(guildSettingsSchema) })
  .refine((row) => row.settings.guildId === row.guild_id, { message: 'settings.guildId differs from guild_id' })
  .transform((row): GuildSettings => row.settings);

export const optOutRow = z.object({ guild_id: z.string(), member_hash: memberHash, opted_out_at: timestamp });

export const answerRow = z
  .object({
    message_id: z.string(),
    guild_id: z.string(),
    channel_id: z.string(),
    asker_hash: memberHash,
    question_message_id: z.string(),
    passage_ids: stringList,
    confidence,
    posted_at: timestamp,
  })
  .transform(
    (row): PostedAnswer => ({
      messageId: row.message_id,
      guildId: row.guild_id,
      channelId: row.channel_id,
      asker: row.asker_hash,
      questionMessageId: row.question_message_id,
      passageIds: row.passage_ids,
      confidence: row.confidence,
      postedAt: row.posted_at,
    }),
  );

const count = z.number().int().min(0);

/** SUM over no rows is NULL: an answer without votes has a 0/0 tally. */
const countOrNull = count.nullable().transform((n) => n ?? 0);

export const tallyRow = z.object({ helpful: countOrNull, notHelpful: countOrNull }).transform((row): VoteTally => row);

export const questionRow = z
  .object({
    id: z.number().int(),
    guild_id: z.string(),
    asker_hash: memberHash,
    question: z.string(),
    answered: flag,
    confidence,
    unmatched_terms: stringList,
    passage_ids: stringList,
    via: z.enum(['slash', 'channel']),
    asked_at: timestamp,
  })
  .transform(
    (row): QuestionRecord => ({
      guildId: row.guild_id,
      asker: row.asker_hash,
      question: row.question,
      answered: row.answered,
      confidence: row.confidence,
      unmatchedTerms: row.unmatched_terms,
      passageIds: row.passage_ids,
      via: row.via,
      askedAt: row.asked_at,
    }),
  );

/** Votes on one answer, for the worst-passages statistic. */
export const answerVotesRow = z
  .object({ passage_ids: stringList, helpful: count, notHelpful: count })
  .transform((row) => ({ passageIds: row.passage_ids, helpful: row.helpful, notHelpful: row.notHelpful }));

export const tipPostRow = z
  .object({
    guild_id: z.string(),
    local_day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a YYYY-MM-DD day'),
    tip_id: z.string(),
    status: z.enum(['claimed', 'sent', 'failed', 'unconfirmed']),
    message_id: z.string().nullable(),
    claimed_at: timestamp,
    round: z.number().int().min(0),
  })
  .transform(
    (row): TipPost => ({
      guildId: row.guild_id,
      localDay: row.local_day,
      tipId: row.tip_id,
      status: row.status,
      messageId: row.message_id,
      claimedAt: row.claimed_at,
    }),
  );

export const entryRow = z
  .object({
    id: z.number().int(),
    guild_id: z.string(),
    title: entryContentSchema.shape.title,
    questions: jsonText(entryContentSchema.shape.questions),
    answer: entryContentSchema.shape.answer,
    link: entryContentSchema.shape.link,
    edited_by_name: z.string().nullable(),
    edited_at: timestamp,
  })
  .transform(
    (row): GuildEntry => ({
      id: row.id,
      guildId: row.guild_id,
      title: row.title,
      questions: row.questions,
      answer: row.answer,
      link: row.link,
      editedBy: row.edited_by_name,
      editedAt: row.edited_at,
    }),
  );

export const taughtRow = z
  .object({ guild_id: z.string(), phrasing: z.string().min(1), passage_id: z.string().min(1), taught_at: timestamp })
  .transform((row): TaughtPhrasing => ({ guildId: row.guild_id, phrasing: row.phrasing, passageId: row.passage_id, taughtAt: row.taught_at }));

export const guildKnowledgeRow = z
  .object({ guild_id: z.string(), entries_and_phrasings: count.min(1), last_active_at: timestamp })
  .transform((row): GuildKnowledgeActivity => ({ guildId: row.guild_id, entriesAndPhrasings: row.entries_and_phrasings, lastActiveAt: row.last_active_at }));

export const tipIdRow = z.object({ tip_id: z.string() }).transform((row) => row.tip_id);

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ');
}

/**
 * Validates a row read from `table`. A corrupt row is an error naming the file, table and row, never replaced
 * by defaults: the operator decides whether to fix it or restore a backup.
 */
export function parseRow<T>(database: string, table: string, rowKey: string, schema: z.ZodType<T>, row: unknown): T {
  const result = schema.safeParse(row);
  if (result.success) return result.data;
  throw new StoreError(
    `${database}: invalid row in table ${table} (${rowKey}): ${describeIssues(result.error)}. Fix the row or restore a backup`,
    { cause: result.error },
  );
}
