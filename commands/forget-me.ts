import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { defineCommand } from '../src/bot/command.js';
import { ephemeralText } from '../src/bot/reply.js';

export const forgetMe = defineCommand({
  definition: new SlashCommandBuilder()
    .setName('forget-me')
    .setDescription('Delete everything the bot keeps about you: questions, votes, opt-outs, in every server')
    .toJSON(),
  options: z.object({}),
  ephemeral: () => true,
  async handle({ invoker }, { guilds }) {
    const deleted = await guilds.forgetMember(invoker.userId);
    return ephemeralText(
      deleted === 0
        ? 'I kept nothing about you.'
        : `Deleted ${deleted} record${deleted === 1 ? '' : 's'} about you, including any /optout: run it again where you want me to stay quiet. ` +
            'Answers I already posted in channels stay visible; a moderator can remove them.',
    );
  },
});
