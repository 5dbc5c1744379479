import { spawnSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEngine } from '../../src/answering/engine.js';
import { INDEX_FILE_NAME, indexCodeDigest, loadEngineCached, type EngineCacheEvent } from '../../src/answering/engineCache.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeDirectory } from '../../src/knowledge/loader.js';
import { KnowledgeError } from '../../src/knowledge/validation.js';
import { decodeIndexFile, encodeIndexFile, IndexFileError, indexFileKey } from '../../src/search/indexFile.js';
import { PassageIndex } from '../../src/search/passageIndex.js';

let dir: string;
let knowledgeDir: string;
let dataDir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'engine-cache-'));
  knowledgeDir = join(dir, 'knowledge');
  dataDir = join(dir, 'data');
  await cp(DEFAULT_KNOWLEDGE_DIR, knowledgeDir, { recursive: true });
});

afterEach(async () => {
  await chmod(dir, 0o755).catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

async function load(): Promise<{ engine: Awaited<ReturnType<typeof loadEngineCached>>; events: EngineCacheEvent[] }> {
  const events: EngineCacheEvent[] = [];
  const engine = await loadEngineCached({ knowledgeDir, dataDir, onEvent: (e) => events.push(e) });
  return { engine, events };
}

const QUESTIONS = ['ml engineer vs data scientist', 'what are the responsibilites of a machine learning enginer', 'how much does an ml engineer earn in india', 'how do i bake bread', 'which tools should I learn?', 'MLE salary in Germany'];

describe('the saved index', () => {
  it('is built and saved on first start, then loaded, answering exactly as a freshly built engine', async () => {
    const first = await load();
    expect(first.events.map((e) => e.type)).toEqual(['rebuilding', 'built', 'saved']);
    expect(first.events[0]).toMatchObject({ reason: 'absent' });
    const second = await load();
    expect(second.events.map((e) => e.type)).toEqual(['loaded']);

    const fresh = await loadEngine(knowledgeDir);
    expect(second.engine.knowledge).toEqual(fresh.knowledge);
    for (const question of QUESTIONS) {
      expect(second.engine.answer(question)).toEqual(fresh.answer(question));
      expect(second.engine.search(question, 5)).toEqual(fresh.search(question, 5));
    }
    expect(second.engine.suggest('data dri')).toEqual(fresh.suggest('data dri'));
    expect(await readdir(dataDir)).toEqual([INDEX_FILE_NAME]);
    // A start from it needs neither the English word list nor ICU's region names.
    const saved = decodeIndexFile(await readFile(join(dataDir, INDEX_FILE_NAME)));
    expect(saved.tables.english?.words.length).toBeGreaterThan(50_000);
    expect(saved.strings.places).toEqual(expect.arrayContaining(['germany', 'united states', 'india']));
  });

  it('keeps the sources a section names itself when loaded from the saved index', async () => {
    const section = '## Only one source here\n<!-- sources: shankar-2024 -->\n\nA passage whose facts come from one of its document’s sources.\n';
    const frontMatter = '---\ntitle: Section sources\ntopic: basics\nsources: [shankar-2024, code-labs-academy-2024]\nreviewed: 2026-12-05\n---\n\n';
    await writeFile(join(knowledgeDir, 'section-sources.md'), frontMatter + section);
    await load();
    const { engine, events } = await load();
    expect(events.map((e) => e.type)).toEqual(['loaded']);
    expect(engine.knowledge.passages.find((p) => p.documentId === 'section-sources')!.sourceIds).toEqual(['shankar-2024']);
  });

  it('is stale once a knowledge file changes, and rebuilt', async () => {
    await load();
    const file = join(knowledgeDir, 'ml-engineer-salary.md');
    await writeFile(file, (await readFile(file, 'utf8')).replaceAll('INR 10 lakh', 'INR 12 lakh'));
    const { engine, events } = await load();
    expect(events[0]).toMatchObject({ type: 'rebuilding', reason: 'stale' });
    expect(engine.answer('how much does an ml engineer earn in india').text).toContain('12 lakh');
    expect((await load()).events.map((e) => e.type)).toEqual(['loaded']);
  });

  it('is never trusted when corrupt or truncated: rebuilt and rewritten', async () => {
    await load();
    const file = join(dataDir, INDEX_FILE_NAME);
    const bytes = await readFile(file);
    for (const broken of [Buffer.concat([bytes.subarray(0, 200), Buffer.from('x'), bytes.subarray(201)]), bytes.subarray(0, bytes.length - 100), Buffer.from('not an index')]) {
      await writeFile(file, broken);
      const { engine, events } = await load();
      expect(events[0]).toMatchObject({ type: 'rebuilding', reason: 'corrupt' });
      expect(events.at(-1)?.type).toBe('saved');
      expect(engine.answer('what is data drift').answered).toBe(true);
      expect((await load()).events.map((e) => e.type)).toEqual(['loaded']);
    }
  });

  it('removes the temporary files of saves killed while writing, and only those', async () => {
    const killed = spawnSync(process.execPath, ['-e', '']).pid!;
    const abandoned = `${INDEX_FILE_NAME}.${killed}.0a1b2c3d.tmp`;
    const inProgress = `${INDEX_FILE_NAME}.${process.pid}.4e5f6a7b.tmp`;
    await mkdir(dataDir);
    for (const name of [abandoned, inProgress, 'notes.tmp']) await writeFile(join(dataDir, name), 'partial');
    await load();
    expect((await readdir(dataDir)).sort()).toEqual([INDEX_FILE_NAME, inProgress, 'notes.tmp'].sort());
  });

  it('still answers when the data directory cannot be written', async () => {
    await writeFile(dataDir, 'a file where the directory should be');
    const { engine, events } = await load();
    expect(events.map((e) => e.type)).toEqual(['rebuilding', 'built', 'save-failed']);
    expect(engine.answer('what is data drift').answered).toBe(true);
  });

  it('reports a broken knowledge base as loadEngine does', async () => {
    await load();
    await writeFile(join(knowledgeDir, 'broken.md'), 'no front matter');
    await expect(load()).rejects.toBeInstanceOf(KnowledgeError);
  });
});

describe('the index file', () => {
  it('round-trips an index, its data and its tables', async () => {
    const knowledge = await loadKnowledgeDirectory(DEFAULT_KNOWLEDGE_DIR);
    const index = PassageIndex.build(knowledge.passages);
    const tables = { ranks: { words: ['a', 'b'], values: Uint32Array.of(1, 2) } };
    const strings = { texts: ['', 'line\nbreak', 'C++ › “quotes” 🙏', 'x'.repeat(5000)], none: [] };
    const bytes = encodeIndexFile({ key: 'k', index: index.save(), data: { hello: 'wörld' }, strings, tables });
    expect(indexFileKey(bytes)).toBe('k');
    const decoded = decodeIndexFile<{ hello: string }>(bytes);
    expect(decoded.data).toEqual({ hello: 'wörld' });
    expect(decoded.tables).toEqual(tables);
    expect(decoded.strings).toEqual(strings);
    expect(decoded.index).toEqual(index.save());
  });

  it('rejects a flipped bit, a cut or another format', async () => {
    const knowledge = await loadKnowledgeDirectory(DEFAULT_KNOWLEDGE_DIR);
    const bytes = encodeIndexFile({ key: 'k', index: PassageIndex.build(knowledge.passages).save(), data: null, strings: {}, tables: {} });
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3]! ^= 1;
    expect(() => decodeIndexFile(flipped)).toThrow(IndexFileError);
    expect(() => decodeIndexFile(bytes.subarray(0, bytes.length - 8))).toThrow(IndexFileError);
    expect(() => decodeIndexFile(Buffer.from('MLCBIDX\n\u0002\u0000\u0000\u0000{}'))).toThrow(IndexFileError);
    expect(indexFileKey(Buffer.from('nonsense'))).toBeUndefined();
  });
});

describe('the digest of the code a saved index depends on', () => {
  it('changes with any file of src/search or src/knowledge beside the module, and is undefined without them', async () => {
    const moduleUrl = pathToFileURL(join(dir, 'src', 'answering', 'engineCache.js'));
    expect(indexCodeDigest(moduleUrl)).toBeUndefined();
    await mkdir(join(dir, 'src', 'search'), { recursive: true });
    await mkdir(join(dir, 'src', 'knowledge'), { recursive: true });
    await writeFile(join(dir, 'src', 'search', 'terms.js'), 'export const STOP = 1;');
    await writeFile(join(dir, 'src', 'knowledge', 'loader.js'), 'export const LOAD = 1;');
    await writeFile(join(dir, 'src', 'search', 'notes.txt'), 'not code');
    const first = indexCodeDigest(moduleUrl);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    await writeFile(join(dir, 'src', 'search', 'notes.txt'), 'still not code');
    expect(indexCodeDigest(moduleUrl)).toBe(first);
    await writeFile(join(dir, 'src', 'knowledge', 'loader.js'), 'export const LOAD = 2;');
    expect(indexCodeDigest(moduleUrl)).not.toBe(first);
  });
});
