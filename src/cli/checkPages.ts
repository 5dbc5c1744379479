// `npm run check-pages -- --pages DIR`: finds sentences the knowledge base took from the web pages it cites.
// The pages' text is fetched by whoever writes a document (one DIR/<source-id>.txt per source) and is never
// committed; the check compares each document with the pages its sections cite.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { copiedRuns } from '../knowledge/copiedRuns.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeDirectory } from '../knowledge/loader.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { pages: { type: 'string', default: '.pages' }, knowledge: { type: 'string' }, words: { type: 'string', default: '12' } } });
  const knowledge = await loadKnowledgeDirectory(values.knowledge ?? DEFAULT_KNOWLEDGE_DIR);
  const minWords = Number(values.words);
  const unread = new Set<string>();
  let copied = 0;
  for (const document of knowledge.documents) {
    const passages = knowledge.passages.filter((p) => p.documentId === document.id);
    const cited = new Set([...document.frontMatter.sources, ...passages.flatMap((p) => p.sourceIds)]);
    const pages = new Map<string, string>();
    for (const id of cited) {
      const file = join(values.pages, `${id}.txt`);
      if (existsSync(file)) pages.set(id, readFileSync(file, 'utf8'));
      else if (knowledge.sources.find((s) => s.id === id)?.url) unread.add(id);
    }
    const text = passages.map((p) => `${p.heading}\n${p.text}`).join('\n');
    for (const run of copiedRuns(text, pages, minWords)) {
      copied++;
      console.log(`${document.file}: ${run.words} words as in ${run.from}: "${run.text}"`);
    }
  }
  if (unread.size) console.log(`No page text in ${values.pages} for: ${[...unread].sort().join(', ')} (not checked)`);
  console.log(copied ? `${copied} run(s) of ${minWords}+ words copied from cited pages` : `no run of ${minWords}+ words copied from the cited pages`);
  return copied ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
