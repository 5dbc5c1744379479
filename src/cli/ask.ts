// `npm run ask -- "question"`: the answering engine from the command line, no Discord, no token.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadEngine, type Answer } from '../answering/engine.js';
import { answerReply } from '../bot/answerReply.js';
import { channelAnswerReply } from '../bot/autoAnswers.js';
import { fitToDiscordLimits } from '../bot/reply.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../knowledge/loader.js';
import { KnowledgeError } from '../knowledge/validation.js';
import { renderReply } from './discordLayout.js';

const USAGE = `Usage: npm run ask -- [--json | --discord [--explain] | --channel] [--knowledge DIR] "your question"
       npm run ask < questions.txt     (one question per line, one JSON line out per question)
--discord prints the /ask reply as Discord lays it out; --channel, the answer as posted unasked in a channel
(answered or not, whatever the server's line).
--json and the JSON lines give the question as given, and as the engine read it in cleanedQuestion.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      discord: { type: 'boolean', default: false },
      explain: { type: 'boolean', default: false },
      channel: { type: 'boolean', default: false },
      knowledge: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const engine = await loadEngine(values.knowledge ?? process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);

  if (positionals.length === 0) {
    if (process.stdin.isTTY) {
      console.error(USAGE);
      return 2;
    }
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      if (line.trim()) console.log(JSON.stringify(resultObject(line, engine.answer(line))));
    }
    return 0;
  }

  const question = positionals.join(' ');
  const answer = engine.answer(question);
  if (!answer.question) {
    console.error(`The question is empty.\n${USAGE}`);
    return 2;
  }
  if (values.json) console.log(JSON.stringify(resultObject(question, answer), null, 2));
  else if (values.discord) console.log(renderReply(fitToDiscordLimits(answerReply(answer, true, { explain: values.explain }))));
  else if (values.channel) console.log(renderReply(channelAnswerReply(engine.answerMessage(question, 0))));
  else console.log(describe(answer));
  return 0;
}

/** The answer with the question as given, so output joins with input; `cleanedQuestion` is what the engine read. */
function resultObject(question: string, answer: Answer) {
  return { ...answer, question, cleanedQuestion: answer.question };
}

function describe(answer: Answer): string {
  const facts = [
    `confidence ${answer.confidence.toFixed(2)}${answer.answered ? '' : ' (not covered)'}`,
    answer.comparison ? `comparison: ${answer.comparison.join(' vs ')}` : '',
    answer.matchedTerms.length ? `matched: ${answer.matchedTerms.join(', ')}` : '',
    answer.corrections.length ? `read as: ${answer.corrections.map((c) => `${c.typed} → ${c.corrected}`).join(', ')}` : '',
    answer.passages.length ? `passages: ${answer.passages.map((p) => p.id).join(', ')}` : '',
  ].filter(Boolean);
  return `${answer.text}\n\n— ${facts.join(' · ')}`;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof KnowledgeError ? `The knowledge base has problems:\n${error.message}` : error);
    process.exitCode = 1;
  },
);
