import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder, type APIEmbedField } from 'discord.js';
import { z } from 'zod';
import { truncateAtSentence } from '../src/answering/truncate.js';
import { defineCommand, type CommandContext } from '../src/bot/command.js';
import { BRAND_COLOUR, DISCORD_LIMITS, ephemeralText, type Reply } from '../src/bot/reply.js';
import { problemLocation } from '../src/knowledge/validation.js';

const MAX_PROBLEMS_SHOWN = 10;

export const kb = defineCommand({
  definition: new SlashCommandBuilder()
    .setName('kb')
    .setDescription('The knowledge base: what members ask and what it lacks (Manage Server)')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) => sub.setName('stats').setDescription('Questions asked, answered and declined; the gaps to write about next'))
    .addSubcommand((sub) => sub.setName('reload').setDescription('Reload the knowledge base files without a restart (bot owners only)'))
    .toJSON(),
  options: z.discriminatedUnion('subcommand', [z.object({ subcommand: z.literal('stats') }), z.object({ subcommand: z.literal('reload') })]),
  moderatorOnly: true,
  ephemeral: () => true,
  async handle({ options, invoker }, context) {
    if (options.subcommand === 'reload') {
      if (!context.botOwnerIds.has(invoker.userId)) {
        return ephemeralText('Only the bot’s owners (BOT_OWNER_IDS) can reload the knowledge base: it serves every server.');
      }
      return reload(context);
    }
    if (!invoker.guildId) return ephemeralText('Use this command in a server.');
    return stats(invoker.guildId, context);
  },
});

async function reload(context: CommandContext): Promise<Reply> {
  const result = await context.reloadKnowledge();
  if (result.ok) {
    const { documents, passages, tips } = result.engine.knowledge;
    context.logger.info({ documents: documents.length, passages: passages.length, tips: tips.length }, 'knowledge base reloaded');
    return ephemeralText(`Reloaded: ${documents.length} documents, ${passages.length} passages, ${tips.length} tips.`);
  }
  const shown = result.problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `• \`${problemLocation(p)}\` ${p.message}`);
  const more = result.problems.length > MAX_PROBLEMS_SHOWN ? `\n…and ${result.problems.length - MAX_PROBLEMS_SHOWN} more.` : '';
  return ephemeralText(`Not reloaded: the knowledge base has problems, so the previous version keeps serving.\n${shown.join('\n')}${more}`);
}

function stats(guildId: string, { guilds }: CommandContext): Reply {
  const s = guilds.questions.stats(guildId);
  const share = (part: number, whole: number) => (whole ? `${Math.round((100 * part) / whole)} %` : '—');
  const list = (items: string[]) => truncateAtSentence(items.join('\n') || 'nothing yet', DISCORD_LIMITS.fieldValue);
  const fields: APIEmbedField[] = [
    { name: 'Questions', value: `${s.questions7d} in 7 days, ${s.questions30d} in 30 days`, inline: true },
    { name: 'Answered (30 days)', value: `${s.answered30d} (${share(s.answered30d, s.questions30d)})`, inline: true },
    { name: 'Declined (30 days)', value: `${s.declined30d} (${share(s.declined30d, s.questions30d)})`, inline: true },
    { name: 'Most asked', value: list(s.mostAsked.map((q) => `${q.count}× ${q.question}`)) },
    { name: 'Most declined: write about these next', value: list(s.mostDeclined.map((q) => `${q.count}× ${q.question}`)) },
    { name: 'Words nothing matched', value: list(s.unmatchedTerms.map((t) => `${t.term} (${t.count})`)) },
    { name: 'Passages with the worst votes', value: list(s.worstPassages.map((p) => `\`${p.passageId}\`: 👍 ${p.helpful} 👎 ${p.notHelpful}`)) },
  ];
  return { ephemeral: true, embeds: [{ color: BRAND_COLOUR, title: 'Knowledge base: what members ask', fields }] };
}
