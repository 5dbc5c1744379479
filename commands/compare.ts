import { SlashCommandBuilder, type APIEmbedField } from 'discord.js';
import { z } from 'zod';
import { truncateAtSentence } from '../src/answering/truncate.js';
import { answerReply } from '../src/bot/answerReply.js';
import { defineCommand } from '../src/bot/command.js';
import { BRAND_COLOUR, ephemeralText } from '../src/bot/reply.js';
import { ROLE_IDS, ROLE_LABELS } from '../src/search/lexicon.js';

const ROLE_CHOICES = ROLE_IDS.map((id) => ({ name: ROLE_LABELS[id], value: id }));
/** Two columns of eight fields must fit Discord's 6,000-character embed total with the summary. */
const ASPECT_CHARS = 560;
const capitalised = (text: string) => text[0]!.toUpperCase() + text.slice(1);

export const compare = defineCommand({
  definition: new SlashCommandBuilder()
    .setName('compare')
    .setDescription('Two roles side by side: focus, skills, tools and typical work')
    .addStringOption((o) => o.setName('role_a').setDescription('The first role').setRequired(true).addChoices(...ROLE_CHOICES))
    .addStringOption((o) => o.setName('role_b').setDescription('The second role').setRequired(true).addChoices(...ROLE_CHOICES))
    .addBooleanOption((o) => o.setName('public').setDescription('Show the comparison to the whole channel (default: only you)'))
    .toJSON(),
  options: z.object({ role_a: z.enum(ROLE_IDS), role_b: z.enum(ROLE_IDS), public: z.boolean().default(false) }),
  rateLimited: true,
  ephemeral: (options) => !options.public,
  handle({ options }, { engine }) {
    const { role_a: a, role_b: b } = options;
    if (a === b) return ephemeralText(`Pick two different roles: both were **${ROLE_LABELS[a]}**.`);
    const profiles = [engine.roleProfile(a), engine.roleProfile(b)];
    // A knowledge base without role profiles still answers, through the engine's comparison search.
    if (!profiles[0] || !profiles[1]) return answerReply(engine.answer(`${ROLE_LABELS[a]} vs ${ROLE_LABELS[b]}`), !options.public);
    const direct = engine.comparisonPassages(a, b)[0];
    const aspects = [...new Set(profiles.flatMap((profile) => profile!.aspects.map((aspect) => aspect.heading)))];
    const fields: APIEmbedField[] = aspects.flatMap((heading) => [
      ...profiles.map((profile) => ({
        name: `${capitalised(profile!.label)} · ${heading}`,
        value: truncateAtSentence(profile!.aspects.find((x) => x.heading === heading)?.text ?? 'Not covered.', ASPECT_CHARS),
        inline: true,
      })),
      { name: '\u200b', value: '\u200b', inline: true },
    ]);
    const sourceIds = [
      ...(direct?.sourceIds ?? []),
      ...profiles.flatMap((p) => p!.aspects.flatMap((x) => engine.passage(x.passageId)?.sourceIds ?? [])),
    ];
    return {
      ephemeral: !options.public,
      embeds: [
        {
          color: BRAND_COLOUR,
          title: `${capitalised(ROLE_LABELS[a])} vs ${ROLE_LABELS[b]}`,
          description: direct
            ? truncateAtSentence(direct.text, 700)
            : `The knowledge base has no direct comparison of these two roles; here is what it says about each.`,
          fields: [...fields, { name: 'Sources', value: engine.cite([...new Set(sourceIds)]).split('; ').map((s) => `• ${s}`).join('\n') }],
          footer: { text: 'Ask a follow-up with /ask, e.g. "which pays more?"' },
        },
      ],
    };
  },
});
