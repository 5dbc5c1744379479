import { isUtf8 } from 'node:buffer';

/** One thing wrong with a knowledge file, located so an author can go straight to it. */
export interface KnowledgeProblem {
  file: string;
  /** Absent for a problem with a whole directory. */
  line?: number;
  message: string;
}

/** `file:line`, or the path alone for a directory. */
export const problemLocation = (problem: KnowledgeProblem) => (problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`);

/** Loading stops at the first broken file set: every problem found is listed, nothing is half-loaded. */
export class KnowledgeError extends Error {
  constructor(readonly problems: KnowledgeProblem[]) {
    super(problems.map((p) => `${problemLocation(p)}: ${p.message}`).join('\n'));
    this.name = 'KnowledgeError';
  }
}

/** Decodes UTF-8 strictly; a bad byte is reported with the line it is on. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  if (isUtf8(bytes)) return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (!isUtf8(bytes.subarray(lineStart, i))) break;
      line++;
      lineStart = i + 1;
    }
  }
  throw new KnowledgeError([{ file, line, message: 'is not valid UTF-8' }]);
}
