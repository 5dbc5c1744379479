import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { answerReply } from '../src/bot/answerReply.js';
import { defineCommand } from '../src/bot/command.js';

export const ask = defineCommand({
  definition: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a machine-learning career question; answered from the knowledge base, with sources')
    .addStringOption((o) =>
      o.setName('question').setDescription('For example: ML engineer vs statistician?').setRequired(true).setMaxLength(500).setAutocomplete(true),
    )
    .addBooleanOption((o) => o.setName('public').setDescription('Show the answer to the whole channel (default: only you)'))
    .addBooleanOption((o) => o.setName('explain').setDescription('Also show the words it matched and missed, and how likely the answer is right'))
    .toJSON(),
  options: z.object({ question: z.string(), public: z.boolean().default(false), explain: z.boolean().default(false) }),
  rateLimited: true,
  ephemeral: (options) => !options.public,
  handle({ options, invoker }, { engine, store, questionLog, now }) {
    const answer = engine.answer(options.question);
    if (invoker.guildId) {
      questionLog.record({
        guildId: invoker.guildId,
        asker: store.memberHash(invoker.userId),
        question: answer.question,
        answered: answer.answered,
        confidence: answer.confidence,
        unmatchedTerms: answer.unmatchedTerms,
        passageIds: answer.passages.map((p) => p.id),
        via: 'slash',
        askedAt: now(),
      });
    }
    return answerReply(answer, !options.public, { explain: options.explain });
  },
  autocomplete(focused, { engine }) {
    return engine.suggest(focused.value).map((question) => ({ name: question, value: question }));
  },
});
