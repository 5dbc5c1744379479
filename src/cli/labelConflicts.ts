// `npm run labels:conflicts`: lists look-alike labelled questions labelled one in scope and one out of scope,
// for a person to settle against the passages before `npm run train` (see docs/engine.md, "Training").
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadEngine } from '../answering/engine.js';
import { labelConflicts, LOOK_ALIKE_SIMILARITY } from '../evaluation/labelConflicts.js';
import { labelledMessagesSchema, labelledQuestionsSchema } from '../evaluation/labelledSets.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../knowledge/loader.js';
import { packagePath } from '../packageRoot.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { similarity: { type: 'string', default: String(LOOK_ALIKE_SIMILARITY) } } });
  const minSimilarity = Number(values.similarity);
  if (!(minSimilarity > 0 && minSimilarity <= 1)) throw new Error(`--similarity must be a number above 0 and at most 1, not "${values.similarity}"`);
  const questions = labelledQuestionsSchema.parse(JSON.parse(await readFile(packagePath('tests', 'eval', 'train.json'), 'utf8')));
  const messages = labelledMessagesSchema.parse(JSON.parse(await readFile(packagePath('tests', 'eval', 'channel.json'), 'utf8')));
  const conflicts = labelConflicts(await loadEngine(DEFAULT_KNOWLEDGE_DIR), questions, messages, minSimilarity);
  for (const { covered, uncovered, similarity } of conflicts) {
    console.log(`${similarity.toFixed(2)}  in   ${covered.id} ${JSON.stringify(covered.text)} → ${covered.passages.join(', ')}`);
    console.log(`      out  ${uncovered.id} ${JSON.stringify(uncovered.text)} (${uncovered.reason})\n`);
  }
  console.log(`${conflicts.length} pairs of look-alikes (similarity ${minSimilarity} or more) labelled one in scope and one out of scope.`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
