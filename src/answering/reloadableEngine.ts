import { KnowledgeError, type KnowledgeProblem } from '../knowledge/validation.js';
import type { Engine } from './engine.js';

export type ReloadResult = { ok: true; engine: Engine } | { ok: false; problems: KnowledgeProblem[] };

/**
 * The engine the bot answers with, replaceable while it runs. A reload that finds a broken file keeps the
 * old engine serving and reports the file and line; nothing half-loaded is ever used.
 */
export class ReloadableEngine {
  private engine: Engine;

  constructor(
    initial: Engine,
    private readonly load: () => Promise<Engine>,
  ) {
    this.engine = initial;
  }

  get current(): Engine {
    return this.engine;
  }

  async reload(): Promise<ReloadResult> {
    try {
      this.engine = await this.load();
      return { ok: true, engine: this.engine };
    } catch (error) {
      if (error instanceof KnowledgeError) return { ok: false, problems: error.problems };
      throw error;
    }
  }
}
