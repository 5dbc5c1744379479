// `npm run eval`: grades the engine on the project's development question set and fails below target.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadEngine } from '../answering/engine.js';
import { evalSetSchema, grade, summarize, TARGETS, type Grade } from '../evaluation/grading.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../knowledge/loader.js';

const DEFAULT_SET = fileURLToPath(new URL('../../tests/eval/dev.json', import.meta.url));

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { set: { type: 'string' }, knowledge: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } } });
  const questions = evalSetSchema.parse(JSON.parse(await readFile(values.set ?? DEFAULT_SET, 'utf8')));
  const engine = await loadEngine(values.knowledge ?? DEFAULT_KNOWLEDGE_DIR);
  const grades = questions.map((q) => grade(q, engine.answer(q.question), engine.search(q.question, 3)));

  for (const g of grades.filter((g) => !g.right || values.verbose)) console.log(describeGrade(g));
  const summary = summarize(grades);
  const pct = (right: number, total: number) => `${right}/${total} (${total ? Math.round((100 * right) / total) : 0} %)`;
  console.log('\nBy kind:');
  for (const [kind, { right, total }] of Object.entries(summary.byKind)) console.log(`  ${kind.padEnd(14)} ${pct(right, total)}`);
  console.log(`Passage hit (in scope): top-1 ${pct(summary.top1, summary.inScope.total)}, top-3 ${pct(summary.top3, summary.inScope.total)}`);
  console.log(
    `${summary.passed ? 'PASS' : 'FAIL'}: in scope ${pct(summary.inScope.right, summary.inScope.total)} right (target ${TARGETS.inScopeShare * 100} %), ` +
      `out of scope ${pct(summary.outOfScope.right, summary.outOfScope.total)} declined (target ${TARGETS.outOfScopeShare * 100} %)`,
  );
  return summary.passed ? 0 : 1;
}

function describeGrade(g: Grade): string {
  const status = g.right ? 'right' : 'MISS';
  const detail = g.question.kind === 'out-of-scope'
    ? g.answered ? 'answered, should have declined' : 'declined'
    : !g.answered ? 'declined' : g.missing.length ? `missing ${g.missing.map((group) => `[${group.slice(0, 4).join(' | ')}${group.length > 4 ? ' …' : ''}]`).join(' ')}` : 'all facts present';
  return `${status} ${g.question.id} (${g.question.kind}) conf ${g.confidence.toFixed(2)}: "${g.question.question}" — ${detail}`;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
