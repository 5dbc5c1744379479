import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Answer, Engine } from '../answering/engine.js';
import { topTexts } from '../storage/knowledgeStats.js';
import type { Store, TaughtPhrasing } from '../storage/store.js';
import type { GuildEntries } from './entries.js';
import { entryPassageId, type ServerIndexes } from './serverIndexes.js';

/** Taught phrasings a server may have. */
export const MAX_TAUGHT = 2000;
/** Discord's most for one select menu. */
const MENU_SIZE = 25;
const TOPICS_NEAR = 10;

export interface DeclinedQuestion {
  /** Names the question in a Discord custom id or select value (100 characters at most). */
  key: string;
  question: string;
  count: number;
}

/** A passage or entry a question could be taught to. */
export interface Topic {
  ref: string;
  title: string;
}

export interface TaughtTopic extends TaughtPhrasing {
  /** What it answers with: undefined once that passage or entry is gone. */
  title: string | undefined;
}

export type TeachOutcome =
  | { ok: true; question: string; title: string; answer: Answer }
  | { ok: false; problem: 'question-gone' | 'topic-gone' }
  | { ok: false; problem: 'limit'; limit: number };

export const questionKey = (question: string) => createHash('sha256').update(question.trim().toLowerCase()).digest('hex').slice(0, 16);

/** A passage id as a select menu value (100 characters at most): the id itself when it fits. */
export const topicRef = (passageId: string) => (passageId.length <= 100 ? passageId : `#${createHash('sha256').update(passageId).digest('hex').slice(0, 32)}`);

/**
 * Teaching the bot from its gaps: a question it declined in a server becomes, in that server, one of the
 * phrasings of the passage or entry a moderator picks for it.
 */
export class GuildTeaching {
  constructor(
    private readonly engine: () => Engine,
    private readonly indexes: ServerIndexes,
    private readonly store: Store,
    private readonly entries: GuildEntries,
    private readonly now: () => Date,
  ) {}

  /** The questions declined in the last 30 days that are not taught yet, most often declined first. */
  async declined(guildId: string): Promise<DeclinedQuestion[]> {
    const taught = new Set((await this.store.taughtPhrasings(guildId)).map((t) => t.phrasing.toLowerCase()));
    const open = (await this.declinedTexts(guildId)).filter((question) => !taught.has(question.trim().toLowerCase()));
    return topTexts(open, MENU_SIZE).map(({ text, count }) => ({ key: questionKey(text), question: text, count }));
  }

  /** The declined question a key names, while it is still in the log. */
  async question(guildId: string, key: string): Promise<string | undefined> {
    return (await this.declinedTexts(guildId)).findLast((question) => questionKey(question) === key)?.trim();
  }

  /** The passages and entries nearest a question, as the answer ranks them. */
  topicsNear(guildId: string, question: string): Promise<Topic[]> {
    return this.topics(guildId, question, TOPICS_NEAR);
  }

  /** Passages and entries for what a moderator typed in the search box. */
  searchTopics(guildId: string, query: string): Promise<Topic[]> {
    return this.topics(guildId, query, MENU_SIZE);
  }

  async teach(guildId: string, key: string, ref: string): Promise<TeachOutcome> {
    const question = await this.question(guildId, key);
    if (question === undefined) return { ok: false, problem: 'question-gone' };
    const topic = await this.topicOf(guildId, ref);
    if (!topic) return { ok: false, problem: 'topic-gone' };
    if (!(await this.store.teach({ guildId, phrasing: question, passageId: topic.id, taughtAt: this.now() }, MAX_TAUGHT))) {
      return { ok: false, problem: 'limit', limit: MAX_TAUGHT };
    }
    this.indexes.changed(guildId);
    const index = await this.indexes.of(guildId);
    return { ok: true, question, title: topic.title, answer: this.engine().answer(question, index) };
  }

  async taught(guildId: string): Promise<TaughtTopic[]> {
    const [entries, taught] = await Promise.all([this.entries.list(guildId), this.store.taughtPhrasings(guildId)]);
    const engine = this.engine();
    const entryTitles = new Map(entries.map((entry) => [entryPassageId(entry.id), entry.title]));
    return taught.map((t) => ({ ...t, title: engine.passage(t.passageId)?.title ?? entryTitles.get(t.passageId) }));
  }

  /** False when the server had not taught that phrasing. */
  async unteach(guildId: string, phrasing: string): Promise<boolean> {
    const removed = await this.store.unteach(guildId, phrasing.trim());
    if (removed) this.indexes.changed(guildId);
    return removed;
  }

  /**
   * Every server's phrasings for the shared passages, as "asked" comments under each section's file and
   * heading, to fold into knowledge/ (no server is named). Undefined when nothing was taught.
   */
  async exportAll(): Promise<{ text: string; phrasings: number; servers: number } | undefined> {
    const taught = await this.store.taughtPhrasings();
    const engine = this.engine();
    const byPassage = new Map<string, Map<string, string>>();
    const servers = new Set<string>();
    for (const { guildId, passageId, phrasing } of taught) {
      if (!engine.passage(passageId)) continue;
      const phrasings = byPassage.get(passageId) ?? new Map<string, string>();
      phrasings.set(phrasing.toLowerCase(), phrasing);
      byPassage.set(passageId, phrasings);
      servers.add(guildId);
    }
    if (byPassage.size === 0) return undefined;
    const passages = [...byPassage.keys()].map((id) => engine.passage(id)!).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    const phrasings = [...byPassage.values()].reduce((sum, list) => sum + list.size, 0);
    const sections = passages.map((passage) =>
      [`## ${basename(passage.file)}:${passage.line} › ${passage.heading || passage.documentTitle}`, '<!-- asked:', ...[...byPassage.get(passage.id)!.values()].map((p) => `- ${p}`), '-->'].join('\n'),
    );
    const intro = `<!-- ${phrasings} phrasings taught in ${servers.size} servers: add each list to the "asked" comment under its section's heading in knowledge/. -->`;
    return { text: `${[intro, ...sections].join('\n\n')}\n`, phrasings, servers: servers.size };
  }

  private async declinedTexts(guildId: string): Promise<string[]> {
    return (await this.store.recentQuestions(guildId, this.now()))
      .filter((q) => !q.answered)
      .map((q) => q.question);
  }

  private async topics(guildId: string, text: string, limit: number): Promise<Topic[]> {
    const index = await this.indexes.of(guildId);
    return this.engine()
      .search(text, limit, index)
      .map((passage) => ({ ref: topicRef(passage.id), title: passage.title }));
  }

  private async topicOf(guildId: string, ref: string): Promise<{ id: string; title: string } | undefined> {
    const shared = this.engine().knowledge.passages.find((p) => topicRef(p.id) === ref);
    if (shared) return shared;
    const entry = (await this.entries.list(guildId)).find((e) => topicRef(entryPassageId(e.id)) === ref);
    return entry && { id: entryPassageId(entry.id), title: entry.title };
  }
}
