import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { answerReply } from '../src/bot/answerReply.js';
import { defineCommand } from '../src/bot/command.js';

/** Each area is a question put to the engine, so the answer always comes from the current knowledge base. */
const AREAS = {
  skills: { label: 'Skills', question: 'What skills does an entry-level ML engineer need?' },
  languages: { label: 'Programming languages', question: 'Which programming languages should an ML engineer learn?' },
  tools: { label: 'Tools (overview)', question: 'Which tools should I learn to become an ML engineer?' },
  frameworks: { label: 'ML libraries and frameworks', question: 'Which machine learning libraries and frameworks do ML engineers use?' },
  math: { label: 'Math and statistics', question: 'How much math and statistics does an ML engineer need?' },
  data: { label: 'Data tools (SQL, Pandas, NumPy)', question: 'Which data manipulation tools like SQL, Pandas and NumPy should I learn?' },
  visualization: { label: 'Data visualization', question: 'Which data visualization tools do ML engineers use?' },
  cloud: { label: 'Cloud platforms', question: 'Do ML engineers need cloud platforms like AWS, Azure or GCP?' },
  'soft-skills': { label: 'Soft skills', question: 'Which soft skills like communication and teamwork do ML engineers need?' },
} as const;
type Area = keyof typeof AREAS;
const AREA_IDS = Object.keys(AREAS) as [Area, ...Area[]];

export const learn = defineCommand({
  definition: new SlashCommandBuilder()
    .setName('learn')
    .setDescription('What to learn to become an ML engineer: skills, languages, tools, math, cloud…')
    .addStringOption((o) =>
      o
        .setName('area')
        .setDescription('Narrow it down (default: skills and tools overview)')
        .addChoices(...AREA_IDS.map((id) => ({ name: AREAS[id].label, value: id }))),
    )
    .addBooleanOption((o) => o.setName('public').setDescription('Show the answer to the whole channel (default: only you)'))
    .toJSON(),
  options: z.object({ area: z.enum(AREA_IDS).default('tools'), public: z.boolean().default(false) }),
  rateLimited: true,
  ephemeral: (options) => !options.public,
  handle({ options }, { engine }) {
    return answerReply(engine.answer(AREAS[options.area].question), !options.public);
  },
});
