import { isUtf8 } from 'node:buffer';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

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

/**
 * Parses YAML and validates it with a zod schema. Problems carry the line of the offending value in the file,
 * where the YAML starts at `firstLine`.
 */
export function parseYaml<Schema extends z.ZodType>(
  text: string,
  schema: Schema,
  location: { file: string; firstLine: number; what: string },
): z.infer<Schema> {
  const { file, firstLine, what } = location;
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => firstLine + lineCounter.linePos(offset).line - 1;
  if (document.errors.length > 0) {
    throw new KnowledgeError(
      document.errors.map((error) => ({
        file,
        line: lineAt(error.pos[0]),
        message: `${what} is not valid YAML: ${error.message.split('\n')[0]}`,
      })),
    );
  }
  const result = schema.safeParse(document.toJS(), { error: (issue) => (issue.input === undefined ? 'is required' : undefined) });
  if (result.success) return result.data;
  throw new KnowledgeError(
    result.error.issues.map((issue) => {
      const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
      return {
        file,
        line: lineAt(offsetOf(document, path)),
        message: `${what}${path.length ? ` "${path.join('.')}"` : ''}: ${issue.message}`,
      };
    }),
  );
}

/** The offset of the deepest node along `path` that exists: the value itself, or its parent when missing. */
function offsetOf(document: ReturnType<typeof parseDocument>, path: (string | number)[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return node.range[0];
  }
  return 0;
}
