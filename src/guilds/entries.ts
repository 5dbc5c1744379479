import { cutToLength } from '../text/cut.js';
import type { KnowledgeProblem } from '../knowledge/validation.js';
import { entryContentSchema, type EntryChange, type EntryContent, type EntrySaveResult, type GuildEntry, type Store } from '../storage/store.js';
import { entriesFile, parseEntriesFile } from './entryFile.js';
import { entryPassageId, type ServerIndexes } from './serverIndexes.js';

/** Entries a server may have: enough for a thorough FAQ, few enough to keep every server's index small. */
export const MAX_ENTRIES = 500;

/** An entry as a moderator filled in its form: questions one per line (a leading "- " is fine), the link possibly blank. */
export interface EntryDraft {
  title: string;
  questions: string;
  answer: string;
  link: string;
}

/** Who writes an entry: their id (stored only as a keyed hash) and the name shown with its answers. */
export interface Editor {
  userId: string;
  name: string;
}

export type EntryOutcome =
  | { ok: true; entry: GuildEntry }
  | { ok: false; problem: 'invalid'; issues: string[] }
  | Exclude<EntrySaveResult, { ok: true }>;

export type ImportOutcome =
  | { ok: true; added: number; updated: number }
  | { ok: false; problem: 'invalid-file'; problems: KnowledgeProblem[] }
  | Exclude<EntrySaveResult, { ok: true }>;

/** A server's own FAQ entries: written through forms or a file, answered in that server only. */
export class GuildEntries {
  constructor(
    private readonly store: Store,
    private readonly indexes: ServerIndexes,
    private readonly now: () => Date,
  ) {}

  list(guildId: string): Promise<GuildEntry[]> {
    return this.store.guildEntries(guildId);
  }

  async get(guildId: string, id: number): Promise<GuildEntry | undefined> {
    return (await this.list(guildId)).find((entry) => entry.id === id);
  }

  /** The entry a member named: by id (as autocomplete fills it in) or by its title, in any case. */
  async find(guildId: string, reference: string): Promise<GuildEntry | undefined> {
    const wanted = reference.trim().toLowerCase();
    return (await this.list(guildId)).find((entry) => String(entry.id) === wanted || entry.title.toLowerCase() === wanted);
  }

  /** Up to 25 entries whose title holds what was typed (any case), for picking one. */
  async matching(guildId: string, typed: string): Promise<GuildEntry[]> {
    const wanted = typed.trim().toLowerCase();
    return (await this.list(guildId))
      .filter((entry) => entry.title.toLowerCase().includes(wanted))
      .slice(0, 25);
  }

  add(guildId: string, editor: Editor, draft: EntryDraft): Promise<EntryOutcome> {
    return this.write(guildId, editor, draft);
  }

  edit(guildId: string, id: number, editor: Editor, draft: EntryDraft): Promise<EntryOutcome> {
    return this.write(guildId, editor, draft, id);
  }

  async remove(guildId: string, id: number): Promise<GuildEntry | undefined> {
    const removed = await this.store.removeGuildEntry(guildId, id, entryPassageId(id));
    if (removed) this.indexes.changed(guildId);
    return removed;
  }

  /** The server's entries as a markdown file in the knowledge base's format. */
  async export(guildId: string): Promise<string> {
    return entriesFile(await this.list(guildId), this.now());
  }

  /**
   * Adds a file's entries, replacing those of the same title. The file is checked as a whole first: a file
   * with any problem changes nothing.
   */
  async import(guildId: string, editor: Editor, bytes: Uint8Array, fileName: string): Promise<ImportOutcome> {
    const parsed = parseEntriesFile(bytes, fileName);
    if (!parsed.ok) return { ok: false, problem: 'invalid-file', problems: parsed.problems };
    const result = await this.store.saveGuildEntries(guildId, parsed.entries.map((content) => this.change(editor, content)), { maxEntries: MAX_ENTRIES, sameTitle: 'replace' });
    if (!result.ok) return result;
    this.indexes.changed(guildId);
    return { ok: true, added: result.added, updated: result.updated };
  }

  private async write(guildId: string, editor: Editor, draft: EntryDraft, id?: number): Promise<EntryOutcome> {
    const content = entryContentSchema.safeParse({
      title: draft.title,
      questions: draft.questions.split('\n').map((line) => line.replace(/^\s*[-*\u2022]\s*/, '').trim()).filter(Boolean),
      answer: draft.answer,
      link: draft.link.trim() || null,
    });
    if (!content.success) return { ok: false, problem: 'invalid', issues: content.error.issues.map((issue) => issue.message) };
    const result = await this.store.saveGuildEntries(guildId, [{ ...this.change(editor, content.data), ...(id === undefined ? {} : { id }) }], {
      maxEntries: MAX_ENTRIES,
      sameTitle: 'refuse',
    });
    if (!result.ok) return result;
    this.indexes.changed(guildId);
    return { ok: true, entry: result.saved[0]! };
  }

  private change(editor: Editor, content: EntryContent): EntryChange {
    return { ...content, editor: { member: this.store.memberHash(editor.userId), name: cutToLength(editor.name, 100) }, editedAt: this.now() };
  }
}
