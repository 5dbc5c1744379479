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
  async handle({ options, invoker }, { guilds }) {
    return answerReply(await guilds.questions.ask(invoker.guildId, invoker.userId, options.question), !options.public, { explain: options.explain });
  },
  async autocomplete(focused, { guilds }, invoker) {
    return (await guilds.questions.suggest(invoker.guildId, focused.value)).map((question) => ({ name: question, value: question }));
  },
});
