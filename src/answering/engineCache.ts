import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { documentPassage, SOURCES_FILE, TIPS_FILE } from '../knowledge/documents.js';
import type { KnowledgeFiles } from '../knowledge/loader.js';
import type { KnowledgeBase, KnowledgeDocument, Passage, Source, Tip } from '../knowledge/schema.js';
import { englishRankTable, englishRanksVersion, useEnglishRankTable } from '../search/englishWords.js';
import { placeNameList, usePlaceNames } from '../search/places.js';
import { decodeIndexFile, encodeIndexFile, INDEX_FILE_FORMAT } from '../search/indexFile.js';
import { INDEX_FORMAT_VERSION, PassageIndex } from '../search/passageIndex.js';
import { createEngine, type Engine } from './engine.js';

/** The saved index's file name in the data directory. */
export const INDEX_FILE_NAME = 'search-index.bin';
/** Bumped when what is saved besides the index (the knowledge base's form) changes. */
const SAVED_KNOWLEDGE_FORMAT = 1;

export type EngineCacheEvent =
  /** The saved index matched the knowledge base and was used. */
  | { type: 'loaded'; file: string; ms: number }
  /** It could not be used (`absent`, `stale`: built from other files, `corrupt`: unreadable or inconsistent). */
  | { type: 'rebuilding'; file: string; reason: 'absent' | 'stale' | 'corrupt'; detail?: string }
  | { type: 'built'; passages: number; ms: number }
  | { type: 'saved'; file: string; bytes: number; ms: number }
  /** Saving failed (a read-only or full disk): the engine works, the next start builds again. */
  | { type: 'save-failed'; file: string; error: unknown };

export interface EngineCacheOptions {
  knowledgeDir: string;
  /** Where the index is saved (the bot's DATA_DIR); created when missing. */
  dataDir: string;
  onEvent?: (event: EngineCacheEvent) => void;
}

/**
 * The engine for a knowledge directory, from the index saved in `dataDir` when it was built from exactly these
 * files (their names and bytes, the engine's index format and the word list it weighs words by), built and
 * saved otherwise. A saved index that is stale, truncated or corrupt is never used: the engine is built from
 * the files and the file rewritten, atomically (a temporary file renamed over it). A broken knowledge base
 * throws its KnowledgeError, as `loadEngine` does.
 */
export async function loadEngineCached({ knowledgeDir, dataDir, onEvent = () => {} }: EngineCacheOptions): Promise<Engine> {
  const file = join(dataDir, INDEX_FILE_NAME);
  const started = performance.now();
  await removeAbandonedWrites(file);
  const key = knowledgeKey(knowledgeDir);

  let reason: 'absent' | 'stale' | 'corrupt' = 'absent';
  let detail: string | undefined;
  const saved = key ? await readFile(file).catch(() => undefined) : undefined;
  if (saved && key) {
    try {
      const contents = decodeIndexFile<SavedKnowledge>(saved);
      if (contents.key !== key) {
        reason = 'stale';
      } else {
        const knowledge = restoreKnowledge(contents.data, contents.strings);
        const english = contents.tables.english;
        if (english) useEnglishRankTable({ words: english.words, ranks: english.values });
        if (contents.strings.places) usePlaceNames(contents.strings.places);
        const engine = createEngine(knowledge, PassageIndex.restore(contents.index));
        onEvent({ type: 'loaded', file, ms: Math.round(performance.now() - started) });
        return engine;
      }
    } catch (error) {
      reason = 'corrupt';
      detail = error instanceof Error ? error.message : String(error);
    }
  }
  onEvent({ type: 'rebuilding', file, reason, ...(detail ? { detail } : {}) });

  const { loadKnowledgeDirectory, parseKnowledge } = await import('../knowledge/loader.js');
  const files = key ? readKnowledgeDirectoryFiles(knowledgeDir) : undefined;
  const knowledge = files
    ? parseKnowledge(files, { sourcesFile: join(knowledgeDir, SOURCES_FILE), tipsFile: join(knowledgeDir, TIPS_FILE) })
    : await loadKnowledgeDirectory(knowledgeDir);
  const building = performance.now();
  const index = PassageIndex.build(knowledge.passages);
  const engine = createEngine(knowledge, index);
  onEvent({ type: 'built', passages: knowledge.passages.length, ms: Math.round(performance.now() - building) });

  if (key) {
    const saving = performance.now();
    try {
      const bytes = encodeSavedEngine(key, knowledge, index);
      await writeAtomically(file, bytes);
      onEvent({ type: 'saved', file, bytes: bytes.byteLength, ms: Math.round(performance.now() - saving) });
    } catch (error) {
      onEvent({ type: 'save-failed', file, error });
    }
  }
  return engine;
}

/**
 * The saved index's bytes: the index, the knowledge base it was built from, the English word ranks and the
 * place names (so that a start from it loads neither the word list nor ICU's region data).
 */
export function encodeSavedEngine(key: string, knowledge: KnowledgeBase, index: PassageIndex): Buffer {
  const { words, ranks } = englishRankTable();
  const { data, strings } = saveKnowledge(knowledge);
  return encodeIndexFile({ key, index: index.save(), data, strings: { ...strings, places: placeNameList() }, tables: { english: { words, values: ranks } } });
}

/** The knowledge files as `readKnowledgeFiles` names them: every `*.md` in name order, then sources and tips. */
function knowledgeFileNames(dir: string): string[] {
  return [...readdirSync(dir).filter((name) => name.endsWith('.md')).sort(), SOURCES_FILE, TIPS_FILE];
}

/**
 * The knowledge directory's files as `readKnowledgeFiles` reads them, or undefined when one cannot be read (the
 * full loader then reports the problem). Read synchronously: 13,000 small files take a few hundred
 * milliseconds that way, and seconds as 13,000 promises.
 */
function readKnowledgeDirectoryFiles(dir: string): KnowledgeFiles | undefined {
  try {
    const documents: Record<string, Uint8Array> = {};
    for (const name of knowledgeFileNames(dir).slice(0, -2)) documents[join(dir, name)] = readFileSync(join(dir, name));
    return { documents, sources: readFileSync(join(dir, SOURCES_FILE)), tips: readFileSync(join(dir, TIPS_FILE)) };
  } catch {
    return undefined;
  }
}

/**
 * What a saved index is valid for: every knowledge file's name and bytes, every format involved, and the code
 * that turns files into passages and terms (the sources of src/knowledge and src/search, when they are there to
 * read, the stemmer's version, and the ICU data the place names come from): editing the lexicon or the loader
 * makes a saved index stale without a version bump. Undefined when a file cannot be read. Files are hashed as
 * they are read, through one buffer.
 */
export function knowledgeKey(dir: string): string | undefined {
  const hash = createHash('sha256');
  const part = (text: string) => hash.update(`${Buffer.byteLength(text)}:${text}`);
  const stemmer = (require('stemmer/package.json') as { version: string }).version;
  part(JSON.stringify({ INDEX_FILE_FORMAT, INDEX_FORMAT_VERSION, SAVED_KNOWLEDGE_FORMAT, english: englishRanksVersion(), stemmer, icu: process.versions.icu, endianness: endianness(), dir }));
  part(codeDigest());
  const buffer = Buffer.allocUnsafe(1 << 20);
  try {
    for (const name of knowledgeFileNames(dir)) {
      part(name);
      const fd = openSync(join(dir, name), 'r');
      try {
        let total = 0;
        for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
          hash.update(buffer.subarray(0, n));
          total += n;
        }
        part(`${total}`);
      } finally {
        closeSync(fd);
      }
    }
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}

const require = createRequire(import.meta.url);
let code: string | undefined;
/** Set in the bundle by `npm run build`: the digest of the code it was built from (see indexCodeDigest). */
declare const BUNDLED_INDEX_CODE_DIGEST: string | undefined;

/**
 * The digest of the code the saved index depends on, taken once: the sources of src/search and src/knowledge
 * beside this module, or, in the bundle (where they are not), the digest the build took of them, so a start
 * does not read and hash the 3 MB bundle; a bundle made otherwise is hashed whole.
 */
function codeDigest(): string {
  code ??= typeof BUNDLED_INDEX_CODE_DIGEST === 'string' ? BUNDLED_INDEX_CODE_DIGEST : (indexCodeDigest(import.meta.url) ?? createHash('sha256').update(readFileSync(new URL(import.meta.url))).digest('hex'));
  return code;
}

/** The digest of src/search and src/knowledge beside the module at `moduleUrl`; undefined when neither is there. */
export function indexCodeDigest(moduleUrl: string | URL): string | undefined {
  const hash = createHash('sha256');
  let files = 0;
  for (const dir of ['../search/', '../knowledge/']) {
    const url = new URL(dir, moduleUrl);
    let names: string[];
    try {
      names = readdirSync(url).filter((name) => /\.[cm]?[jt]s$/.test(name)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const content = readFileSync(new URL(name, url));
      hash.update(`${dir}${name}:${content.byteLength}:`).update(content);
      files++;
    }
  }
  return files > 0 ? hash.digest('hex') : undefined;
}

/**
 * Removes the temporary files (`<file>.<pid>.<random>.tmp`, see writeAtomically) of saves whose process is
 * gone, killed while writing: nothing else would. A save still running, here or in another process, keeps its file.
 */
async function removeAbandonedWrites(file: string): Promise<void> {
  const prefix = `${basename(file)}.`;
  const names = await readdir(dirname(file)).catch(() => []);
  for (const name of names) {
    const writer = name.startsWith(prefix) ? /^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (writer && !isRunning(Number(writer[1]))) await rm(join(dirname(file), name), { force: true }).catch(() => {});
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const dir = join(file, '..');
  await mkdir(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * The knowledge base as saved: the passages' ids, headings and texts as string lists, and per passage only what
 * does not follow from its document (title, topic, roles, sources and file do). A passage that does not follow
 * (a loader that derives passages differently) is saved whole, so the restored knowledge base always equals
 * the parsed one.
 */
interface SavedKnowledge {
  documents: KnowledgeDocument[];
  sources: Source[];
  tips: Tip[];
  /** [document index, line], or a whole passage. */
  passages: ([number, number] | Passage)[];
}

interface PassageStrings extends Record<string, string[]> {
  ids: string[];
  headings: string[];
  texts: string[];
  /** Each passage's phrasings, one per line. */
  phrasings: string[];
}

function saveKnowledge(knowledge: KnowledgeBase): { data: SavedKnowledge; strings: PassageStrings } {
  const documentIndex = new Map(knowledge.documents.map((doc, i) => [doc.id, i]));
  const strings: PassageStrings = { ids: [], headings: [], texts: [], phrasings: [] };
  const passages = knowledge.passages.map((passage): [number, number] | Passage => {
    strings.ids.push(passage.id);
    strings.headings.push(passage.heading);
    strings.texts.push(passage.text);
    strings.phrasings.push(passage.phrasings.join('\n'));
    const i = documentIndex.get(passage.documentId);
    if (i === undefined) return passage;
    // Derived without the section's own sources, as restoring derives it: a section naming its sources is saved whole.
    const { id, heading, text, phrasings, line } = passage;
    return samePassage(documentPassage(knowledge.documents[i]!, { id, heading, text, phrasings, line }), passage) ? [i, line] : passage;
  });
  return { data: { documents: knowledge.documents, sources: knowledge.sources, tips: knowledge.tips, passages }, strings };
}

function restoreKnowledge(saved: SavedKnowledge, strings: Partial<PassageStrings>): KnowledgeBase {
  const { ids, headings, texts, phrasings } = strings;
  if (!Array.isArray(saved.documents) || !Array.isArray(saved.passages) || !Array.isArray(saved.sources) || !Array.isArray(saved.tips)) {
    throw new Error('the saved knowledge base is incomplete');
  }
  if (!ids || !headings || !texts || !phrasings || [ids, headings, texts, phrasings].some((list) => list.length !== saved.passages.length)) {
    throw new Error('the saved passages are incomplete');
  }
  const passages = saved.passages.map((p, k) => {
    if (!Array.isArray(p)) return p;
    const doc = saved.documents[p[0]];
    if (!doc) throw new Error('a saved passage names a document that does not exist');
    return documentPassage(doc, { id: ids[k]!, heading: headings[k]!, text: texts[k]!, phrasings: phrasings[k]! ? phrasings[k]!.split('\n') : [], line: p[1] });
  });
  return { documents: saved.documents, passages, sources: saved.sources, tips: saved.tips };
}

function samePassage(a: Passage, b: Passage): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Passage>;
  for (const k of keys) {
    const x = a[k];
    const y = b[k];
    if (Array.isArray(x) && Array.isArray(y) ? x.length !== y.length || x.some((v, i) => v !== y[i]) : x !== y) return false;
  }
  return true;
}
