import type { Engine, ServerIndex } from '../answering/engine.js';
import type { Logger } from '../logger.js';
import type { GuildEntry, Store } from '../storage/store.js';

/** A server entry's passage id. No shared passage id has a colon (they are file and heading slugs), so the two never meet. */
export const entryPassageId = (entryId: number) => `faq:${entryId}`;

/** What an answer from an entry cites: this server's FAQ, who last edited it and when, and its link. */
export function entrySource(entry: GuildEntry): string {
  const link = entry.link ? ` · ${entry.link}` : '';
  return `From this server's FAQ, last edited by ${entry.editedBy ?? 'a former member'} on ${entry.editedAt.toISOString().slice(0, 10)}${link}`;
}

/**
 * Each server's own knowledge (its entries and taught phrasings) indexed for the engine that answers now,
 * built from the store when the server first asks something after a change or a reload, then kept.
 */
export class ServerIndexes {
  private readonly built = new Map<string, { engine: Engine; index: ServerIndex | undefined }>();

  constructor(
    private readonly engine: () => Engine,
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  /** The server's own knowledge, or undefined outside servers and for a server that has none. */
  of(guildId: string | null): ServerIndex | undefined {
    if (guildId === null) return undefined;
    const engine = this.engine();
    const cached = this.built.get(guildId);
    if (cached?.engine === engine) return cached.index;
    try {
      const index = this.build(engine, guildId);
      this.built.set(guildId, { engine, index });
      return index;
    } catch (error) {
      // An answer from the shared knowledge base beats none: the next question tries the store again.
      this.logger.error({ err: error, guildId }, "could not read this server's entries; answering from the shared knowledge base");
      return undefined;
    }
  }

  /** The server's entries or taught phrasings changed: indexed again when it next asks. */
  changed(guildId: string): void {
    this.built.delete(guildId);
  }

  /** Entries may have changed in every server (an editor's name removed). */
  changedEverywhere(): void {
    this.built.clear();
  }

  private build(engine: Engine, guildId: string): ServerIndex | undefined {
    const entries = this.store.guildEntries(guildId);
    const taught = this.store.taughtPhrasings(guildId);
    if (entries.length === 0 && taught.length === 0) return undefined;
    const byPassage = new Map<string, string[]>();
    for (const { passageId, phrasing } of taught) byPassage.set(passageId, [...(byPassage.get(passageId) ?? []), phrasing]);
    return engine.serverIndex({
      entries: entries.map((entry) => ({ id: entryPassageId(entry.id), title: entry.title, questions: entry.questions, text: entry.answer, source: entrySource(entry) })),
      taught: byPassage,
    });
  }
}
