// Rules every backend applies before it writes, so that SQLite and PostgreSQL refuse the same things alike.
import { describeIssues } from './rows.js';
import { entryContentSchema, guildSettingsSchema, type EntryChange, type EntrySaveResult, type GuildSettings } from './store.js';
import { StoreError } from './storeError.js';

/** Validates settings before they are written; nothing is saved when they fail. */
export function validSettings(guildId: string, candidate: GuildSettings): GuildSettings {
  const result = guildSettingsSchema.safeParse(candidate);
  if (!result.success) {
    throw new StoreError(`Settings for guild ${guildId} not saved: ${describeIssues(result.error)}`, { cause: result.error });
  }
  if (result.data.guildId !== guildId) {
    throw new StoreError(`Settings for guild ${guildId} not saved: they name guild ${result.data.guildId}`);
  }
  return result.data;
}

/** Validates an entry before it is written; nothing is saved when it fails. */
export function validEntry(guildId: string, change: EntryChange) {
  const result = entryContentSchema.safeParse(change);
  if (!result.success) throw new StoreError(`Entry for guild ${guildId} not saved: ${describeIssues(result.error)}`, { cause: result.error });
  return result.data;
}

/** Ends a transaction without writing anything, with the reason as its result. */
export class Refusal extends Error {
  constructor(readonly result: Extract<EntrySaveResult, { ok: false }>) {
    super(result.problem);
  }
}

/** An entry change as the entry tables store it. */
export function entryValues(guildId: string, change: EntryChange) {
  const content = validEntry(guildId, change);
  return {
    guildId,
    ...content,
    questions: JSON.stringify(content.questions),
    editorHash: change.editor.member,
    editorName: change.editor.name,
    editedAt: change.editedAt.getTime(),
  };
}
