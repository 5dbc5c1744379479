// `npm run eval`: grades the engine on a question set (the development set by default) and on the channel
// messages held out of training, and fails below target.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadEngine } from '../answering/engine.js';
import { CHANNEL_TARGETS, gradeChannel, type ChannelGrade } from '../evaluation/channelGrading.js';
import { evalSetSchema, grade, summarize, TARGETS, type Grade } from '../evaluation/grading.js';
import { labelledMessagesSchema } from '../evaluation/labelledSets.js';
import { reliabilityTable } from '../evaluation/reliability.js';
import { documentsDueForReview } from '../knowledge/freshness.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../knowledge/loader.js';
import { packagePath } from '../packageRoot.js';

const DEFAULT_SET = packagePath('tests', 'eval', 'dev.json');
const CHANNEL_SET = packagePath('tests', 'eval', 'channel.json');

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { set: { type: 'string' }, knowledge: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } } });
  const questions = evalSetSchema.parse(JSON.parse(await readFile(values.set ?? DEFAULT_SET, 'utf8')));
  const messages = labelledMessagesSchema.parse(JSON.parse(await readFile(CHANNEL_SET, 'utf8')));
  const engine = await loadEngine(values.knowledge ?? DEFAULT_KNOWLEDGE_DIR);
  const grades = questions.map((q) => grade(q, engine.answer(q.question), engine.search(q.question, 3)));

  for (const g of grades.filter((g) => !g.right || values.verbose)) console.log(describeGrade(g));
  const summary = summarize(grades);
  console.log('\nBy kind:');
  for (const [kind, { right, total }] of Object.entries(summary.byKind)) console.log(`  ${kind.padEnd(14)} ${pct(right, total)}`);
  console.log('\nReliability: an answer given at a confidence should be right that often (declines count as right when out of scope).');
  console.log(reliabilityTable(grades.map((g) => ({ probability: g.confidence, right: g.question.kind === 'out-of-scope' ? false : g.right }))));

  const channel = gradeChannel(engine, messages, engine.model.channel.defaultConfidence);
  if (values.verbose) for (const miss of channel.misses) console.log(miss);
  console.log(describeChannel(channel, engine.model.channel.defaultConfidence));

  const due = documentsDueForReview(engine.knowledge, new Date());
  if (due.length) console.log(`\nNot reviewed for a year (set "reviewed" once checked):\n${due.map((d) => `  ${d.reviewed}  ${d.file} (${d.title})`).join('\n')}`);

  console.log(`\nPassage hit (in scope): top-1 ${pct(summary.top1, summary.inScope.total)}, top-3 ${pct(summary.top3, summary.inScope.total)}`);
  console.log(
    `${summary.passed && channel.passed ? 'PASS' : 'FAIL'}: in scope ${pct(summary.inScope.right, summary.inScope.total)} right (target ${TARGETS.inScopeShare * 100} %), ` +
      `out of scope ${pct(summary.outOfScope.right, summary.outOfScope.total)} declined (target ${TARGETS.outOfScopeShare * 100} %); ` +
      `channel ${pct(channel.answered, channel.shouldAnswer)} answered, ${pct(channel.falseAnswers, channel.leaveAlone)} of the rest`,
  );
  return summary.passed && channel.passed ? 0 : 1;
}

const pct = (right: number, total: number) => `${right}/${total} (${total ? Math.round((100 * right) / total) : 0} %)`;

function describeGrade(g: Grade): string {
  const status = g.right ? 'right' : 'MISS';
  const detail = g.question.kind === 'out-of-scope'
    ? g.answered ? 'answered, should have declined' : 'declined'
    : !g.answered ? 'declined' : g.missing.length ? `missing ${g.missing.map((group) => `[${group.slice(0, 4).join(' | ')}${group.length > 4 ? ' …' : ''}]`).join(' ')}` : 'all facts present';
  return `${status} ${g.question.id} (${g.question.kind}) conf ${g.confidence.toFixed(2)}: "${g.question.question}" — ${detail}`;
}

function describeChannel(channel: ChannelGrade, line: number): string {
  return (
    `\nChannel messages held out of training (${channel.shouldAnswer + channel.leaveAlone}), at the default line ${Math.round(line * 100)} %: ` +
    `answered right ${pct(channel.answered, channel.shouldAnswer)} of those to answer (target ${CHANNEL_TARGETS.answeredShare * 100} %), ` +
    `answered ${pct(channel.falseAnswers, channel.leaveAlone)} of those to leave alone (target at most ${CHANNEL_TARGETS.falseAnswerShare * 100} %).`
  );
}



main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
