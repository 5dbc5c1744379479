import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Engine, ServerIndex } from '../answering/engine.js';
import type { Logger } from '../logger.js';
import type { GuildEntry, GuildKnowledgeActivity, Store, TaughtPhrasing } from '../storage/store.js';
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
  /** The least recent is let go first: see ServerIndexes.recency. */
  recency: number;
}

interface Building {
  engine: Engine;
  version: number;
  index: Promise<ServerIndex | undefined>;
}

/** What a warm-up indexed ahead of the servers' first questions. */
export interface WarmUp {
  servers: number;
  entriesAndPhrasings: number;
  ms: number;
}

/**
 * Each server's own knowledge (its entries and taught phrasings) indexed for the engine that answers now,
 * built from the store ahead of time (warmUp) or when the server first asks something after a change or a
 * reload. The indexes of the servers asked most recently are kept, within the budget.
 */
export class ServerIndexes {
  private readonly kept = new Map<string, Kept>();
  private held = 0;
  /**
   * Counts questions: a kept index's recency is the count when its server last asked. An index built ahead of
   * questions stands below zero, the more active servers higher: their activity came before anything asked since.
   */
  private recency = 0;
  /** Indexes being built, so that questions arriving together (and a warm-up) read the store once. */
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
      cached.recency = ++this.recency;
      return cached.index;
    }
    try {
      const index = await this.shared(guildId, engine, ++this.recency);
      // The build may have been a warm-up's: kept as asked now.
      const kept = this.kept.get(guildId);
      if (kept?.engine === engine) kept.recency = ++this.recency;
      return index;
    } catch (error) {
      // An answer from the shared knowledge base beats none: the next question tries the store again.
      this.logger.error({ err: error, guildId }, "could not read this server's entries; answering from the shared knowledge base");
      return undefined;
    }
  }

  /**
   * Indexes ahead of their first questions the servers with entries or taught phrasings that this process
   * `serves`, the most recently active first, while the budget has room, yielding to the event loop between
   * servers so that questions are not held up; until `signal` aborts. Never throws: after a store error, each
   * server left is indexed on its first question.
   */
  async warmUp({ serves = () => true, signal }: { serves?: (guildId: string) => boolean; signal?: AbortSignal } = {}): Promise<WarmUp> {
    const started = performance.now();
    const engine = this.engine();
    const warmed = { servers: 0, entriesAndPhrasings: 0 };
    const done = (): WarmUp => ({ ...warmed, ms: Math.round(performance.now() - started) });
    // Kept for an engine since replaced, they would only take the room.
    for (const [guildId, kept] of this.kept) if (kept.engine !== engine) this.letGo(guildId);
    let servers: GuildKnowledgeActivity[];
    try {
      servers = (await this.store.guildsWithOwnKnowledge()).filter((server) => serves(server.guildId));
    } catch (error) {
      this.logger.error({ err: error }, "could not list the servers with entries to index them ahead of their questions; each is indexed on its first question");
      return done();
    }
    for (const [rank, { guildId, entriesAndPhrasings }] of servers.entries()) {
      // Stopped, or a reload started a warm-up of its own.
      if (signal?.aborted || this.engine() !== engine) break;
      if (this.kept.get(guildId)?.engine === engine) continue;
      if (this.held + entriesAndPhrasings > this.budget) break;
      try {
        await this.shared(guildId, engine, -1 - rank);
      } catch (error) {
        this.logger.error({ err: error, guildId }, "could not read a server's entries to index them ahead of its questions; each server left is indexed on its first question");
        break;
      }
      if (this.kept.get(guildId)?.engine === engine) {
        warmed.servers++;
        warmed.entriesAndPhrasings += entriesAndPhrasings;
      }
      await yieldToEventLoop();
    }
    const result = done();
    this.logger.info(result, 'indexed servers ahead of their first questions');
    return result;
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

  /** The build of the server's index for `engine` under way, or a new one, kept at `recency`; rejects when the store fails. */
  private shared(guildId: string, engine: Engine, recency: number): Promise<ServerIndex | undefined> {
    const pending = this.building.get(guildId);
    if (pending?.engine === engine && pending.version === this.version) return pending.index;
    const building: Building = { engine, version: this.version, index: this.build(guildId, engine, this.version, recency) };
    this.building.set(guildId, building);
    const finished = () => {
      if (this.building.get(guildId) === building) this.building.delete(guildId);
    };
    building.index.then(finished, finished);
    return building.index;
  }

  private async build(guildId: string, engine: Engine, version: number, recency: number): Promise<ServerIndex | undefined> {
    const [entries, taught] = await Promise.all([this.store.guildEntries(guildId), this.store.taughtPhrasings(guildId)]);
    const index = entries.length || taught.length ? serverIndex(engine, entries, taught) : undefined;
    if (version === this.version && engine === this.engine()) {
      this.letGo(guildId);
      this.keep(guildId, { engine, index, size: Math.max(1, entries.length + taught.length), recency });
    }
    return index;
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
    while (this.held > this.budget) {
      const leastRecent = this.leastRecent(guildId);
      if (leastRecent === undefined) break;
      this.letGo(leastRecent);
    }
  }

  /** A scan: a server is let go only when another is indexed, which costs far more. */
  private leastRecent(except: string): string | undefined {
    let found: string | undefined;
    let recency = Infinity;
    for (const [guildId, kept] of this.kept) {
      if (guildId !== except && kept.recency < recency) {
        found = guildId;
        recency = kept.recency;
      }
    }
    return found;
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
