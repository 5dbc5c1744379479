import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEngine } from '../../src/answering/engine.js';
import { ReloadableEngine } from '../../src/answering/reloadableEngine.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/knowledge/loader.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('reloading the knowledge base while running', () => {
  it('swaps in the new knowledge, or keeps the old one serving when a file is broken', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ml-career-bot-kb-'));
    cpSync(DEFAULT_KNOWLEDGE_DIR, dir, { recursive: true });
    const load = () => loadEngine(dir);
    const engine = new ReloadableEngine(await load(), load);
    const before = engine.current;

    writeFileSync(join(dir, 'broken.md'), '---\ntopic: salary\n---\n## Heading\n\nText.\n');
    const failed = await engine.reload();
    expect(failed).toEqual({
      ok: false,
      problems: ['title', 'sources', 'reviewed'].map((field) => ({ file: join(dir, 'broken.md'), line: 2, message: `front matter "${field}": is required` })),
    });
    expect(engine.current).toBe(before);
    expect(engine.current.answer('what is data drift').answered).toBe(true);

    writeFileSync(
      join(dir, 'broken.md'),
      '---\ntitle: Office hours\ntopic: community\nsources: [shankar-2024]\nreviewed: 2026-11-23\n---\n## When are the community office hours for ML careers?\n\nEvery Thursday the mentors hold office hours on ML careers.\n',
    );
    const reloaded = await engine.reload();
    expect(reloaded.ok).toBe(true);
    expect(engine.current).not.toBe(before);
    expect(engine.current.passage('broken/when-are-the-community-office-hours-for-ml-careers')).toBeDefined();
  });
});
