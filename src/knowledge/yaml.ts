// YAML in knowledge files, apart from validation.ts: the YAML parser is loaded only when a file is parsed, never
// by a start from the saved index (the server layer, which imports this for /kb import, loads at every start).
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { z } from 'zod';

let yaml: typeof Yaml | undefined;
const loadYaml = () => (yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
import { KnowledgeError } from './validation.js';

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
  const { LineCounter, parseDocument } = loadYaml();
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
function offsetOf(document: Yaml.Document, path: (string | number)[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return node.range[0];
  }
  return 0;
}
