import { describe, expect, it } from 'vitest';
import { runCli } from '../support/runCli.js';

const ASK = 'src/cli/ask.ts';

describe('npm run ask', () => {
  it('prints the answer, its sources and the confidence, with no .env or token', async () => {
    const { code, stdout } = await runCli(ASK, ['ml engineer vs statistician']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Sources?:\n• /);
    expect(stdout).toMatch(/confidence \d\.\d\d/);
    expect(stdout).toContain('comparison: ml-engineer vs statistician');
  });

  it('lays the reply out as Discord shows it with --discord, and in a channel with --channel', async () => {
    const asked = await runCli(ASK, ['--discord', '--explain', 'what is data drift']);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toMatch(/^\(only you can see this\)\n─+\n“what is data drift”\n## .*data drift/);
    expect(asked.stdout).toMatch(/\*\*Sources?\*\*\n• /);
    expect(asked.stdout).toMatch(/\*\*Why this answer\*\*\nMatched: /);
    expect(asked.stdout).toMatch(/— (I'm confident this answers it|This should answer it|This may help)\./);
    const posted = await runCli(ASK, ['--channel', 'what is data drift']);
    expect(posted.stdout).toMatch(/^\(visible to the channel\)/);
    expect(posted.stdout.trim().split('\n').at(-1)).toBe('[ 👍 Helpful (0) ] [ 👎 Not helpful (0) ] [ 🗑️ Delete ]');
  });

  it('prints the result object with --json', async () => {
    const { code, stdout } = await runCli(ASK, ['--json', 'what is data drift']);
    expect(code).toBe(0);
    const answer = JSON.parse(stdout);
    expect(answer).toMatchObject({ answered: true, question: 'what is data drift' });
    expect(Object.keys(answer)).toEqual(expect.arrayContaining(['confidence', 'matchedTerms', 'passages', 'text', 'suggestions']));
  });

  it('answers questions from stdin, one JSON line each, echoing each question as given', async () => {
    const questions = ['what is data drift', '-> what is **data drift**? #mlops', 'how do i bake bread'];
    const { code, stdout } = await runCli(ASK, [], { input: `${questions[0]}\n\n${questions.slice(1).join('\n')}\n` });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => l.question)).toEqual(questions);
    expect([lines[0].answered, lines[2].answered]).toEqual([true, false]);
    expect(lines[1].cleanedQuestion).toMatch(/^[^*>#]*data drift[^*>#]*$/);
  });

  it('gives usage for an empty question', async () => {
    const { code, stderr } = await runCli(ASK, ['  ']);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: npm run ask');
  });

  it('answers a 10,000-character question with markdown and mentions, bounded', async () => {
    const question = `@everyone <@123456789012345678> **salary** in India? ${'x'.repeat(10_000)}`;
    const { code, stdout } = await runCli(ASK, ['--json', question]);
    expect(code).toBe(0);
    const answer = JSON.parse(stdout);
    expect(answer.question).toBe(question);
    expect(answer.cleanedQuestion.length).toBeLessThanOrEqual(500);
    expect(answer.cleanedQuestion).not.toMatch(/@everyone|<@|\*\*/);
  });
});
