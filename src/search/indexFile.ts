import { isAscii } from 'node:buffer';
import { crc32 } from 'node:zlib';
import type { FieldPostings, IndexState } from './passageIndex.js';

/**
 * A saved search index as one binary file: typed arrays stored as they lie in memory (no parsing, one copy
 * each), string lists as UTF-8 with their byte lengths (decoded string by string: no JSON to parse, no giant
 * intermediate string), and a small JSON payload. Layout:
 *
 *     "MLCBIDX\n" | u32 LE header length | header JSON | padding to 8 | sections, each 8-byte aligned
 *
 * The header names the file's key (what it was built from), the sections, and a CRC-32 of everything after
 * the header: a file that is truncated, corrupted or built from something else is never used.
 */
const MAGIC = Buffer.from('MLCBIDX\n', 'latin1');
/** Bumped whenever this layout changes. */
export const INDEX_FILE_FORMAT = 2;

type SectionType = 'u32' | 'u16' | 'strings' | 'json';

interface SectionInfo {
  offset: number;
  length: number;
  type: SectionType;
}

interface Header {
  format: number;
  key: string;
  crc: number;
  payloadLength: number;
  averageLengths: number[];
  indexVersion: number;
  sections: Record<string, SectionInfo>;
}

export interface IndexFileContents<T> {
  key: string;
  index: IndexState;
  /** Anything JSON-serialisable saved with the index (the knowledge base it was built from, but its texts). */
  data: T;
  /** Lists of strings saved with it (the passages' texts). */
  strings: Record<string, string[]>;
  /** Optional extra string lists with numbers, such as the English word ranks. */
  tables: Record<string, { words: string[]; values: Uint32Array }>;
}

export class IndexFileError extends Error {
  override name = 'IndexFileError';
}

export function encodeIndexFile<T>(contents: IndexFileContents<T>): Buffer {
  const sections: [string, SectionType, Uint8Array][] = [];
  const add = (name: string, type: SectionType, bytes: Uint8Array) => sections.push([name, type, bytes]);
  const strings = (name: string, list: readonly string[]) => {
    const lengths = Uint32Array.from(list, (item) => Buffer.byteLength(item));
    const blob = Buffer.allocUnsafe(lengths.reduce((sum, n) => sum + n, 0));
    let offset = 0;
    for (const item of list) offset += blob.write(item, offset, 'utf8');
    add(`${name}.lengths`, 'u32', bytes(lengths));
    add(name, 'strings', blob);
  };
  const bytes = (array: Uint32Array | Uint16Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

  const { index } = contents;
  add('data', 'json', Buffer.from(JSON.stringify(contents.data), 'utf8'));
  strings('ids', index.ids);
  strings('terms', index.terms);
  strings('words', index.words);
  for (const [name, list] of Object.entries(contents.strings)) strings(`strings.${name}`, list);
  add('wordCounts', 'u32', bytes(index.wordCounts));
  add('documentFrequency', 'u32', bytes(index.documentFrequency));
  index.fields.forEach((field, f) => {
    add(`f${f}.offsets`, 'u32', bytes(field.offsets));
    add(`f${f}.docs`, 'u32', bytes(field.docs));
    add(`f${f}.freqs`, 'u16', bytes(field.freqs));
    add(`f${f}.lengths`, 'u16', bytes(field.lengths));
  });
  for (const [name, table] of Object.entries(contents.tables)) {
    strings(`table.${name}.words`, table.words);
    add(`table.${name}.values`, 'u32', bytes(table.values));
  }

  const infos: Record<string, SectionInfo> = {};
  let offset = 0;
  for (const [name, type, data] of sections) {
    infos[name] = { offset, length: data.byteLength, type };
    offset = align(offset + data.byteLength);
  }
  const payload = Buffer.alloc(offset);
  for (const [name, , data] of sections) payload.set(data, infos[name]!.offset);

  const header: Header = {
    format: INDEX_FILE_FORMAT,
    key: contents.key,
    crc: crc32(payload),
    payloadLength: payload.byteLength,
    averageLengths: index.fields.map((field) => field.averageLength),
    indexVersion: index.version,
    sections: infos,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(align(MAGIC.length + 4 + headerBytes.length));
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(prefix, MAGIC.length + 4);
  return Buffer.concat([prefix, payload]);
}

/** The key a file was saved under, without checking or decoding the rest (undefined when it is not one). */
export function indexFileKey(file: Buffer): string | undefined {
  try {
    return readHeader(file).header.key;
  } catch {
    return undefined;
  }
}

/** Decodes and checks a saved index; throws IndexFileError for anything but an intact file of this format. */
export function decodeIndexFile<T>(file: Buffer): IndexFileContents<T> {
  const { header, payloadStart } = readHeader(file);
  if (file.byteLength - payloadStart !== header.payloadLength) throw new IndexFileError('the file is truncated or has trailing bytes');
  const payload = file.subarray(payloadStart);
  if (crc32(payload) !== header.crc) throw new IndexFileError('the checksum does not match: the file is corrupt');

  const section = (name: string, type: SectionType) => {
    const info = header.sections[name];
    if (!info || info.type !== type || info.offset < 0 || info.offset + info.length > payload.byteLength) {
      throw new IndexFileError(`section "${name}" is missing or out of bounds`);
    }
    return payload.subarray(info.offset, info.offset + info.length);
  };
  // Copies, so that the file's buffer (mostly the knowledge base's text) can be freed once decoded.
  const numbers = <T extends Uint32Array | Uint16Array>(name: string, type: 'u32' | 'u16', Numbers: { new (length: number): T; BYTES_PER_ELEMENT: number }) => {
    const data = section(name, type);
    if (data.byteLength % Numbers.BYTES_PER_ELEMENT) throw new IndexFileError(`section "${name}" is not whole ${8 * Numbers.BYTES_PER_ELEMENT}-bit numbers`);
    const copy = new Numbers(data.byteLength / Numbers.BYTES_PER_ELEMENT);
    new Uint8Array(copy.buffer).set(data);
    return copy;
  };
  const u32 = (name: string) => numbers(name, 'u32', Uint32Array);
  const u16 = (name: string) => numbers(name, 'u16', Uint16Array);

  const fields = header.averageLengths.map(
    (averageLength, f): FieldPostings => ({
      offsets: u32(`f${f}.offsets`),
      docs: u32(`f${f}.docs`),
      freqs: u16(`f${f}.freqs`),
      lengths: u16(`f${f}.lengths`),
      averageLength,
    }),
  );
  const strings = (name: string) => {
    const blob = section(name, 'strings');
    const lengths = u32(`${name}.lengths`);
    const list = new Array<string>(lengths.length);
    // Plain ASCII (ids, terms, words) is decoded in one go and cut; anything else string by string.
    const ascii = isAscii(blob) ? blob.toString('latin1') : undefined;
    let offset = 0;
    for (let i = 0; i < lengths.length; i++) {
      const end = offset + lengths[i]!;
      if (end > blob.byteLength) throw new IndexFileError(`section "${name}" is shorter than its lengths say`);
      list[i] = ascii !== undefined ? ascii.slice(offset, end) : blob.toString('utf8', offset, end);
      offset = end;
    }
    return list;
  };
  const tables: IndexFileContents<T>['tables'] = {};
  const savedStrings: IndexFileContents<T>['strings'] = {};
  for (const name of Object.keys(header.sections)) {
    const table = /^table\.(.+)\.words$/.exec(name);
    if (table) tables[table[1]!] = { words: strings(name), values: u32(`table.${table[1]!}.values`) };
    const list = /^strings\.(.+)$/.exec(name);
    if (list && !name.endsWith('.lengths')) savedStrings[list[1]!] = strings(name);
  }
  let data: T;
  try {
    data = JSON.parse(section('data', 'json').toString('utf8')) as T;
  } catch {
    throw new IndexFileError('the saved knowledge base is not valid JSON');
  }
  return {
    key: header.key,
    data,
    strings: savedStrings,
    tables,
    index: {
      version: header.indexVersion,
      ids: strings('ids'),
      terms: strings('terms'),
      fields,
      documentFrequency: u32('documentFrequency'),
      words: strings('words'),
      wordCounts: u32('wordCounts'),
    },
  };
}

function readHeader(file: Buffer): { header: Header; payloadStart: number } {
  if (file.byteLength < MAGIC.length + 4 || !file.subarray(0, MAGIC.length).equals(MAGIC)) throw new IndexFileError('not a saved search index');
  const length = file.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + length > file.byteLength) throw new IndexFileError('the header is truncated');
  let header: Header;
  try {
    header = JSON.parse(file.toString('utf8', start, start + length)) as Header;
  } catch {
    throw new IndexFileError('the header is not valid JSON');
  }
  if (header.format !== INDEX_FILE_FORMAT) throw new IndexFileError(`file format ${String(header.format)}, expected ${INDEX_FILE_FORMAT}`);
  if (typeof header.key !== 'string' || typeof header.crc !== 'number' || !Array.isArray(header.averageLengths) || typeof header.sections !== 'object') {
    throw new IndexFileError('the header is incomplete');
  }
  return { header, payloadStart: align(start + length) };
}

const align = (n: number) => Math.ceil(n / 8) * 8;
