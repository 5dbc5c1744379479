import type { Engine, ServerIndex } from '../answering/engine.js';
import type { Logger } from '../logger.js';
import type { GuildEntry, Store, TaughtPhrasing } from '../storage/store.js';
import { ALONE, type ChangeFeed } from './changes.js';

/** A server entry's passage id. No shared passage id has a colon (they are file and heading slugs), so the two never meet. */
export const entryPassageId = (entryId: number) => `faq:${entryId}`;

/** What an answer from an entry cites: this server's FAQ, who last edited it and when, and its link. */
export function entrySource(entry: GuildEntry): string {
  const link = entry.link ? ` · ${entry.link}` : '';
  return `From this server's FAQ, last edited by ${entry.editedBy ?? 'a former member'} on ${entry.editedAt.toISOString().slice(0, 10)}${link}`;
}

/**
 * How many entries and taught phrasings the kept indexes may hold in all: some 3 kB of memory each (see
 * docs/performance.md). A server asked after its index was let go is indexed again, in a few milliseconds.
 */
export const INDEXED_ENTRIES_BUDGET = 20_000;

interface Kept {
  engine: Engine;
  index: ServerIndex | undefined;
  /** Its entries and taught phrasings, at least 1: what it takes of the budget. */
  size: number;
}

interface Building {
  engine: Engine;
  version: number;
  index: Promise<ServerIndex | undefined>;
}

/**
 * Each server's own knowledge (its entries and taught phrasings) indexed for the engine that answers now,
 * built from the store when the server first asks something after a change or a reload. The indexes of the
 * servers asked most recently are kept, within the budget.
 */
export class ServerIndexes {
  /** In the order the servers were last asked: the first is let go first. */
  private readonly kept = new Map<string, Kept>();
  private held = 0;
  /** Indexes being built, so that questions arriving together read the store once. */
  private readonly building = new Map<string, Building>();
  /** Counts changes: an index whose reads began before a change answers its question but is not kept. */
  private version = 0;

  constructor(
    private readonly engine: () => Engine,
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly budget = INDEXED_ENTRIES_BUDGET,
    private readonly changes: ChangeFeed = ALONE,
  ) {
    changes.subscribe((change) => {
      if (change.kind === 'server-knowledge') this.forget(change.guildId);
      else if (change.kind === 'every-server-knowledge') this.forgetAll();
    });
  }

  /** The server's own knowledge, or undefined outside servers and for a server that has none. */
  async of(guildId: string | null): Promise<ServerIndex | undefined> {
    if (guildId === null) return undefined;
    const engine = this.engine();
    const cached = this.kept.get(guildId);
    if (cached?.engine === engine) {
      this.letGo(guildId);
      this.keep(guildId, cached);
      return cached.index;
    }
    const pending = this.building.get(guildId);
    if (pending?.engine === engine && pending.version === this.version) return pending.index;
    const building: Building = { engine, version: this.version, index: this.build(guildId, engine, this.version) };
    this.building.set(guildId, building);
    try {
      return await building.index;
    } finally {
      if (this.building.get(guildId) === building) this.building.delete(guildId);
    }
  }

  /** The server's entries or taught phrasings changed here: indexed again when it next asks, in every process. */
  changed(guildId: string): void {
    this.forget(guildId);
    this.changes.publish({ kind: 'server-knowledge', guildId });
  }

  /** Entries may have changed in every server (an editor's name removed). */
  changedEverywhere(): void {
    this.forgetAll();
    this.changes.publish({ kind: 'every-server-knowledge' });
  }

  private forget(guildId: string): void {
    this.version++;
    this.letGo(guildId);
  }

  private forgetAll(): void {
    this.version++;
    this.kept.clear();
    this.held = 0;
  }

  private async build(guildId: string, engine: Engine, version: number): Promise<ServerIndex | undefined> {
    try {
      const [entries, taught] = await Promise.all([this.store.guildEntries(guildId), this.store.taughtPhrasings(guildId)]);
      const index = entries.length || taught.length ? serverIndex(engine, entries, taught) : undefined;
      if (version === this.version && engine === this.engine()) {
        this.letGo(guildId);
        this.keep(guildId, { engine, index, size: Math.max(1, entries.length + taught.length) });
      }
      return index;
    } catch (error) {
      // An answer from the shared knowledge base beats none: the next question tries the store again.
      this.logger.error({ err: error, guildId }, "could not read this server's entries; answering from the shared knowledge base");
      return undefined;
    }
  }

  private letGo(guildId: string): void {
    const kept = this.kept.get(guildId);
    if (!kept) return;
    this.kept.delete(guildId);
    this.held -= kept.size;
  }

  private keep(guildId: string, kept: Kept): void {
    this.kept.set(guildId, kept);
    this.held += kept.size;
    for (const [oldest, { size }] of this.kept) {
      if (this.held <= this.budget || oldest === guildId) break;
      this.kept.delete(oldest);
      this.held -= size;
    }
  }
}

function serverIndex(engine: Engine, entries: readonly GuildEntry[], taught: readonly TaughtPhrasing[]): ServerIndex {
  const byPassage = new Map<string, string[]>();
  for (const { passageId, phrasing } of taught) byPassage.set(passageId, [...(byPassage.get(passageId) ?? []), phrasing]);
  return engine.serverIndex({
    entries: entries.map((entry) => ({ id: entryPassageId(entry.id), title: entry.title, questions: entry.questions, text: entry.answer, source: entrySource(entry) })),
    taught: byPassage,
  });
}
