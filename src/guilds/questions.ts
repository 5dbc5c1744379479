import type { Answer, Engine } from '../answering/engine.js';
import { readsAsQuestion } from '../answering/messageSignals.js';
import type { QuestionLog } from '../storage/questionLog.js';
import type { KnowledgeStats, QuestionRecord, Store } from '../storage/store.js';
import type { ServerIndexes } from './serverIndexes.js';

/**
 * Asking the bot something in a server: answered from the shared knowledge base and the server's own, and
 * recorded (best-effort, after the answer) for the server's /kb stats.
 */
export class GuildQuestions {
  constructor(
    private readonly engine: () => Engine,
    private readonly indexes: ServerIndexes,
    private readonly store: Store,
    private readonly questionLog: Pick<QuestionLog, 'record' | 'flush'>,
    private readonly now: () => Date,
  ) {}

  /** A question put to the bot (/ask); outside a server, from the shared knowledge base and unrecorded. */
  async ask(guildId: string | null, userId: string, question: string): Promise<Answer> {
    const index = await this.indexes.of(guildId);
    const answer = this.engine().answer(question, index);
    if (guildId !== null) this.record(guildId, userId, answer, 'slash');
    return answer;
  }

  /**
   * A message in a watched channel: answered when the channel model and the answer reach the server's line
   * (`minConfidence`, or the model's default). What reads as a question is recorded, answered or not.
   */
  async askInChannel(guildId: string, userId: string, message: string, minConfidence: number | null): Promise<Answer> {
    const index = await this.indexes.of(guildId);
    const engine = this.engine();
    const answer = engine.answerMessage(message, minConfidence ?? engine.model.channel.defaultConfidence, index);
    // Chatter is not a question nobody answered: only what reads as one goes to /kb stats.
    if (answer.answered || readsAsQuestion(message)) this.record(guildId, userId, answer, 'channel');
    return answer;
  }

  /** Up to 25 questions the shared knowledge base and the server's entries answer, for what was typed. */
  async suggest(guildId: string | null, typed: string): Promise<string[]> {
    const index = await this.indexes.of(guildId);
    return this.engine().suggest(typed, index);
  }

  /** The server's questions, everything asked so far included. */
  async stats(guildId: string): Promise<KnowledgeStats> {
    await this.questionLog.flush();
    return this.store.knowledgeStats(guildId, this.now());
  }

  private record(guildId: string, userId: string, answer: Answer, via: QuestionRecord['via']): void {
    this.questionLog.record({
      guildId,
      asker: this.store.memberHash(userId),
      question: answer.question,
      answered: answer.answered,
      confidence: answer.confidence,
      unmatchedTerms: answer.unmatchedTerms,
      passageIds: answer.passages.map((p) => p.id),
      via,
      askedAt: this.now(),
    });
  }
}
