// Folders import one way: no folder imports one that imports it back, directly or through others. A folder
// of src/ is one capability; the files directly in src/ (main, config, logger) each count on their own.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/runCli.js';

const FOLDERS = ['src', 'commands', 'bench'];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?\sfrom\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'results' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The folder a file belongs to: `src/search`, `commands`, `bench`, or the file itself for one directly in src/. */
function moduleOf(file: string): string {
  const parts = relative(PROJECT_ROOT, file).split(/[\\/]/);
  if (parts[0] !== 'src') return parts[0]!;
  return parts.length > 2 ? `src/${parts[1]}` : parts.join('/');
}

/** Folder → folder, with one import that makes the edge, for the message. */
function importGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of FOLDERS.flatMap((folder) => sourceFiles(join(PROJECT_ROOT, folder)))) {
    const from = moduleOf(file);
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = (match[1] ?? match[2])!;
      const to = moduleOf(resolve(dirname(file), specifier));
      if (to !== from && !edges.has(to)) edges.set(to, `${relative(PROJECT_ROOT, file)} imports ${specifier}`);
    }
  }
  return graph;
}

/** Groups of folders that reach each other (Tarjan's strongly connected components), larger than one. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        group.push(member);
      } while (member !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('imports between folders', () => {
  it('never go round in a circle', () => {
    const graph = importGraph();
    const explained = cycles(graph).map((group) =>
      group.flatMap((from) => group.filter((to) => graph.get(from)?.has(to)).map((to) => `${from} → ${to} (${graph.get(from)!.get(to)})`)),
    );
    expect(explained).toEqual([]);
  });

  it('are all seen by the check', () => {
    const graph = importGraph();
    expect(graph.get('src/answering')?.has('src/search')).toBe(true);
    expect(graph.get('commands')?.has('src/bot')).toBe(true);
  });
});
