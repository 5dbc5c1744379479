import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngine } from '../../src/answering/engine.js';
import { defineCommand } from '../../src/bot/command.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { createDispatcher } from '../../src/bot/dispatch.js';
import { parseKnowledge } from '../../src/knowledge/loader.js';
import { capturingLogger, MEMBER, testContext } from '../support/commandContext.js';
import { knowledgeFiles } from '../support/knowledgeFixtures.js';

const broken = defineCommand({
  definition: { name: 'broken', description: 'always fails' },
  options: z.object({}),
  ephemeral: () => false,
  handle() {
    throw new Error('database on fire');
  },
  autocomplete() {
    throw new Error('autocomplete on fire');
  },
});

describe('a failing handler', () => {
  it('answers privately with a short error and an id that is in the log', async () => {
    const { logger, lines } = capturingLogger();
    const dispatcher = createDispatcher(testContext(createEngine(parseKnowledge(knowledgeFiles())), [broken], { logger }), new Cooldown(5, 60_000));
    const reply = await dispatcher.run({ name: 'broken', options: {}, invoker: MEMBER });
    expect(reply.ephemeral).toBe(true);
    const errorId = /`([0-9a-f]{8})`/.exec(reply.content!)![1];
    expect(reply.content).not.toContain('database on fire');
    const logged = lines().find((line) => line.errorId === errorId);
    expect(logged).toMatchObject({ level: 50, command: 'broken', err: { message: 'database on fire' } });
  });

  it('gives no choices when autocomplete fails, and logs it', async () => {
    const { logger, lines } = capturingLogger();
    const dispatcher = createDispatcher(testContext(createEngine(parseKnowledge(knowledgeFiles())), [broken], { logger }), new Cooldown(5, 60_000));
    expect(await dispatcher.autocomplete('broken', { name: 'x', value: 'y' }, MEMBER)).toEqual([]);
    expect(lines().some((line) => line.msg === 'autocomplete failed')).toBe(true);
  });
});
