import {
  ButtonStyle,
  ComponentType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type SlashCommandStringOption,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import { z } from 'zod';
import { truncateAtSentence } from '../src/answering/truncate.js';
import { defineCommand, type CommandContext, type ComponentInput, type Invoker } from '../src/bot/command.js';
import { BRAND_COLOUR, DISCORD_LIMITS, ephemeralText, type Modal, type Reply } from '../src/bot/reply.js';
import { MAX_ENTRIES, type EntryOutcome, type ImportOutcome } from '../src/guilds/entries.js';
import { ENTRIES_FILE_NAME, MAX_ENTRIES_FILE_BYTES } from '../src/guilds/entryFile.js';
import { entrySource } from '../src/guilds/serverIndexes.js';
import { MAX_TAUGHT, type TeachOutcome, type Topic } from '../src/guilds/teaching.js';
import { basename } from 'node:path';
import { hasQuestions } from '../src/charts/statsChart.js';
import { documentsDueForReview } from '../src/knowledge/freshness.js';
import { problemLocation, type KnowledgeProblem } from '../src/knowledge/validation.js';
import { ENTRY_LIMITS, type GuildEntry, type KnowledgeStats } from '../src/storage/store.js';
import { cutToLength } from '../src/text/cut.js';

const MAX_PROBLEMS_SHOWN = 10;
const entry = z.string().min(1);
const attachment = z.object({ name: z.string(), url: z.string(), size: z.number() });

export const kb = defineCommand({
  definition: new SlashCommandBuilder()
    .setName('kb')
    .setDescription('The knowledge base: this server’s own entries, what members ask and what it lacks (Manage Server)')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) => sub.setName('stats').setDescription('Questions asked, answered and declined; the gaps to write about next, and to teach'))
    .addSubcommand((sub) => sub.setName('add').setDescription('Add an entry to this server’s FAQ: a title, the questions it answers, the answer'))
    .addSubcommand((sub) => sub.setName('edit').setDescription('Edit one of this server’s entries').addStringOption(entryOption))
    .addSubcommand((sub) => sub.setName('remove').setDescription('Remove one of this server’s entries').addStringOption(entryOption))
    .addSubcommand((sub) => sub.setName('list').setDescription('This server’s entries'))
    .addSubcommand((sub) => sub.setName('show').setDescription('One of this server’s entries, as written').addStringOption(entryOption))
    .addSubcommand((sub) => sub.setName('export').setDescription('This server’s entries as a markdown file, to edit and import back'))
    .addSubcommand((sub) =>
      sub
        .setName('import')
        .setDescription('Add entries from a markdown file as /kb export writes it; same titles are replaced')
        .addAttachmentOption((o) => o.setName('file').setDescription('A .md file').setRequired(true)),
    )
    .addSubcommand((sub) =>
      sub
        .setName('taught')
        .setDescription('The questions this server taught the bot, and what each is answered with')
        .addStringOption((o) => o.setName('remove').setDescription('A taught question to forget').setMaxLength(500).setAutocomplete(true)),
    )
    .addSubcommand((sub) => sub.setName('export-taught').setDescription('Every server’s taught questions, to fold into knowledge/ (bot owners only)'))
    .addSubcommand((sub) => sub.setName('reload').setDescription('Reload the knowledge base files without a restart (bot owners only)'))
    .toJSON(),
  options: z.discriminatedUnion('subcommand', [
    z.object({ subcommand: z.literal('stats') }),
    z.object({ subcommand: z.literal('add') }),
    z.object({ subcommand: z.literal('edit'), entry }),
    z.object({ subcommand: z.literal('remove'), entry }),
    z.object({ subcommand: z.literal('list') }),
    z.object({ subcommand: z.literal('show'), entry }),
    z.object({ subcommand: z.literal('export') }),
    z.object({ subcommand: z.literal('import'), file: attachment }),
    z.object({ subcommand: z.literal('taught'), remove: z.string().optional() }),
    z.object({ subcommand: z.literal('export-taught') }),
    z.object({ subcommand: z.literal('reload') }),
  ]),
  moderatorOnly: true,
  ephemeral: () => true,
  opensModal: (options) => options.subcommand === 'add' || options.subcommand === 'edit',
  async handle({ options, invoker }, context) {
    if (options.subcommand === 'reload' || options.subcommand === 'export-taught') {
      if (!context.botOwnerIds.has(invoker.userId)) {
        return ephemeralText('Only the bot’s owners (BOT_OWNER_IDS) can do this: the knowledge base serves every server.');
      }
      return options.subcommand === 'reload' ? reload(context) : exportTaught(context);
    }
    const guildId = invoker.guildId;
    if (!guildId) return ephemeralText('Use this command in a server.');
    const { entries } = context.guilds;
    switch (options.subcommand) {
      case 'stats':
        return stats(guildId, context, context.botOwnerIds.has(invoker.userId));
      case 'add':
        return { ephemeral: true, modal: entryForm('kb:add', 'New FAQ entry') };
      case 'list':
        return listEntries(await entries.list(guildId));
      case 'export':
        return exportEntries(guildId, context);
      case 'import':
        return importEntries(guildId, invoker, options.file, context);
      case 'taught':
        return options.remove === undefined ? listTaught(guildId, context) : unteach(guildId, options.remove, context);
    }
    const found = await entries.find(guildId, options.entry);
    if (!found) return ephemeralText(`This server has no entry “${cutToLength(options.entry, 100)}”: see \`/kb list\`.`);
    switch (options.subcommand) {
      case 'edit':
        return { ephemeral: true, modal: entryForm(`kb:edit:${found.id}`, 'Edit FAQ entry', found) };
      case 'show':
        return { ephemeral: true, embeds: [entryEmbed(found)] };
      default:
        await entries.remove(guildId, found.id);
        return ephemeralText(`Removed “${found.title}” from this server’s FAQ, with the questions taught to it.`);
    }
  },
  async autocomplete(focused, { guilds }, invoker) {
    if (!invoker.guildId) return [];
    if (focused.name === 'remove') {
      const typed = focused.value.toLowerCase();
      return (await guilds.teaching.taught(invoker.guildId))
        .filter((t) => t.phrasing.toLowerCase().includes(typed))
        .map((t) => ({ name: t.phrasing, value: t.phrasing }));
    }
    return (await guilds.entries.matching(invoker.guildId, focused.value)).map((e) => ({ name: e.title, value: String(e.id) }));
  },
  async interact(input, context) {
    const guildId = input.invoker.guildId;
    if (!guildId) return ephemeralText('Use this in a server.');
    const [action, argument = ''] = splitId(input.customId);
    const { entries, teaching } = context.guilds;
    const editor = { userId: input.invoker.userId, name: input.invoker.username };
    switch (action) {
      case 'add':
        return entryWritten(await entries.add(guildId, editor, draftOf(input)), 'Added', guildId, context);
      case 'edit': {
        const id = Number(argument);
        return Number.isSafeInteger(id) ? entryWritten(await entries.edit(guildId, id, editor, draftOf(input)), 'Saved', guildId, context) : UNKNOWN_BUTTON;
      }
      case 'teach': {
        const key = input.values[0] ?? '';
        const question = await teaching.question(guildId, key);
        return question === undefined ? QUESTION_GONE : topicMenu(key, `Which passage or entry answers “${question}”?`, await teaching.topicsNear(guildId, question));
      }
      case 'teach-search':
        return { ephemeral: true, modal: { customId: `kb:teach-find:${argument}`, title: 'Find a topic', fields: [{ id: 'topic', label: 'Words to search for', style: 'short', required: true, maxLength: 100 }] } };
      case 'teach-find': {
        const query = input.fields.topic ?? '';
        return (await teaching.question(guildId, argument)) === undefined ? QUESTION_GONE : topicMenu(argument, `Topics for “${query}”:`, await teaching.searchTopics(guildId, query));
      }
      case 'teach-to':
        return taught(await teaching.teach(guildId, argument, input.values[0] ?? ''));
      default:
        return UNKNOWN_BUTTON;
    }
  },
});

const UNKNOWN_BUTTON = ephemeralText('That button is not one I know any more.');

function entryOption(option: SlashCommandStringOption) {
  return option.setName('entry').setDescription('Its title').setRequired(true).setMaxLength(ENTRY_LIMITS.title).setAutocomplete(true);
}

/** "action:argument" as the command's components name themselves after "kb:". */
function splitId(customId: string): [string, string?] {
  const colon = customId.indexOf(':');
  return colon < 0 ? [customId] : [customId.slice(0, colon), customId.slice(colon + 1)];
}

async function reload(context: CommandContext): Promise<Reply> {
  const result = await context.reloadKnowledge();
  if (result.ok) {
    const { documents, passages, tips } = result.engine.knowledge;
    context.logger.info({ documents: documents.length, passages: passages.length, tips: tips.length }, 'knowledge base reloaded');
    return ephemeralText(`Reloaded: ${documents.length} documents, ${passages.length} passages, ${tips.length} tips.`);
  }
  return ephemeralText(`Not reloaded: the knowledge base has problems, so the previous version keeps serving.\n${problemList(result.problems)}`);
}

function problemList(problems: readonly KnowledgeProblem[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `• \`${problemLocation(p)}\` ${p.message}`);
  const more = problems.length > MAX_PROBLEMS_SHOWN ? `\n…and ${problems.length - MAX_PROBLEMS_SHOWN} more.` : '';
  return `${shown.join('\n')}${more}`;
}

/** The chart's file: the embed shows it, and its description is the chart in words for screen readers. */
const CHART_FILE = 'knowledge-base-stats.png';

async function stats(guildId: string, { guilds, engine, drawStatsChart, logger, now }: CommandContext, forOwner: boolean): Promise<Reply> {
  const s = await guilds.questions.stats(guildId);
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
    // The shared knowledge base is the owners' to keep: they see what nobody has checked for a year.
    ...(forOwner ? [{ name: 'Documents not reviewed for a year', value: list(documentsDueForReview(engine.knowledge, now()).map((d) => `${d.reviewed} \`${basename(d.file)}\``)) }] : []),
  ];
  const embed: APIEmbed = { color: BRAND_COLOUR, title: 'Knowledge base: what members ask', fields };
  const components = await teachMenu(guildId, guilds);
  let chart: Uint8Array;
  try {
    chart = await drawStatsChart(s);
  } catch (error) {
    // The fields say it all in words: a chart that cannot be drawn costs the picture, not the answer.
    logger.warn({ err: error, guildId }, 'could not draw the /kb stats chart; answering with the text alone');
    return { ephemeral: true, embeds: [embed], components };
  }
  return {
    ephemeral: true,
    embeds: [{ ...embed, image: { url: `attachment://${CHART_FILE}` } }],
    files: [{ name: CHART_FILE, data: chart, description: chartDescription(s) }],
    components,
  };
}

function chartDescription(s: KnowledgeStats): string {
  return hasQuestions(s)
    ? 'Chart: questions per day over the last 30 days, answered and declined, and the most declined questions.'
    : 'Chart: no questions yet.';
}

// ---- this server's entries -------------------------------------------------------------------

function entryForm(customId: string, title: string, current?: GuildEntry): Modal {
  return {
    customId,
    title,
    fields: [
      { id: 'title', label: 'Title', description: 'The question it answers, as members would read it', style: 'short', required: true, maxLength: ENTRY_LIMITS.title, ...(current ? { value: current.title } : {}) },
      {
        id: 'questions',
        label: 'Questions it answers',
        description: `One per line, worded as members ask (up to ${ENTRY_LIMITS.questions})`,
        style: 'paragraph',
        required: false,
        maxLength: ENTRY_LIMITS.questions * (ENTRY_LIMITS.question + 1),
        ...(current?.questions.length ? { value: current.questions.join('\n') } : {}),
      },
      { id: 'answer', label: 'Answer', style: 'paragraph', required: true, maxLength: ENTRY_LIMITS.answer, ...(current ? { value: current.answer } : {}) },
      { id: 'link', label: 'Link (optional)', style: 'short', required: false, maxLength: ENTRY_LIMITS.link, placeholder: 'https://…', ...(current?.link ? { value: current.link } : {}) },
    ],
  };
}

function draftOf(input: ComponentInput) {
  const { title = '', questions = '', answer = '', link = '' } = input.fields;
  return { title, questions, answer, link };
}

function entryEmbed(entry: GuildEntry): APIEmbed {
  return {
    color: BRAND_COLOUR,
    title: entry.title,
    description: entry.answer,
    fields: [{ name: 'Questions it answers', value: entry.questions.map((q) => `• ${q}`).join('\n') || 'none besides its title' }],
    footer: { text: `${entrySource(entry)} · entry ${entry.id}` },
  };
}

async function entryWritten(outcome: EntryOutcome, done: string, guildId: string, { guilds }: CommandContext): Promise<Reply> {
  if (!outcome.ok) return ephemeralText(entryProblem(outcome));
  const count = (await guilds.entries.list(guildId)).length;
  return { ephemeral: true, content: `${done}: members asking about it in this server are answered from it now (${count} of ${MAX_ENTRIES} entries).`, embeds: [entryEmbed(outcome.entry)] };
}

function entryProblem(outcome: Exclude<EntryOutcome | ImportOutcome, { ok: true }>): string {
  switch (outcome.problem) {
    case 'invalid':
      return `Not saved: ${outcome.issues.join('; ')}.`;
    case 'invalid-file':
      return `Nothing imported: the file has problems, so every entry stays as it was.\n${problemList(outcome.problems)}`;
    case 'limit':
      return `Not saved: this server would have more than ${outcome.limit} entries, the most it can have. Remove some with \`/kb remove\` first.`;
    case 'title-taken':
      return `Not saved: this server already has an entry titled “${outcome.title}”. Edit that one with \`/kb edit\`, or choose another title.`;
    case 'missing':
      return 'Not saved: that entry was removed meanwhile.';
  }
}

function listEntries(entries: GuildEntry[]): Reply {
  if (entries.length === 0) return ephemeralText('This server has no entries yet: add one with `/kb add`, or import a file with `/kb import`.');
  const lines = entries.map((e) => `\`${e.id}\` ${e.title}`);
  return {
    ephemeral: true,
    embeds: [{ color: BRAND_COLOUR, title: `This server’s FAQ: ${entries.length} of ${MAX_ENTRIES} entries`, description: cutLines(lines, DISCORD_LIMITS.description, 'see `/kb export` for all') }],
  };
}

/** As many whole lines as fit, and how many more there are. */
function cutLines(lines: string[], limit: number, rest: string): string {
  let text = '';
  for (const [i, line] of lines.entries()) {
    const more = `\n…and ${lines.length - i} more: ${rest}.`;
    if (text.length + line.length + 1 + more.length > limit) return `${text}${more}`;
    text += `${text ? '\n' : ''}${line}`;
  }
  return text;
}

async function exportEntries(guildId: string, { guilds }: CommandContext): Promise<Reply> {
  const count = (await guilds.entries.list(guildId)).length;
  if (count === 0) return ephemeralText('This server has no entries to export yet: add one with `/kb add`.');
  return {
    ephemeral: true,
    content: `This server’s ${count} entries, in the knowledge base’s format: edit the file and \`/kb import\` it back.`,
    files: [{ name: ENTRIES_FILE_NAME, data: Buffer.from(await guilds.entries.export(guildId)) }],
  };
}

async function importEntries(guildId: string, invoker: Invoker, file: z.infer<typeof attachment>, context: CommandContext): Promise<Reply> {
  if (file.size > MAX_ENTRIES_FILE_BYTES) return ephemeralText(`Nothing imported: ${file.name} is larger than ${MAX_ENTRIES_FILE_BYTES / 1_000_000} MB.`);
  const bytes = await context.download(file, MAX_ENTRIES_FILE_BYTES);
  const outcome = await context.guilds.entries.import(guildId, { userId: invoker.userId, name: invoker.username }, bytes, file.name);
  if (!outcome.ok) return ephemeralText(entryProblem(outcome));
  const entries = await context.guilds.entries.list(guildId);
  return ephemeralText(`Imported ${file.name}: ${outcome.added} added, ${outcome.updated} replaced. This server has ${entries.length} entries.`);
}

// ---- teaching ---------------------------------------------------------------------------------

const QUESTION_GONE = ephemeralText('That question is no longer in the log (it is kept for the server’s retention period): run `/kb stats` again.');

function row(component: APIComponentInMessageActionRow): APIActionRowComponent<APIComponentInMessageActionRow> {
  return { type: ComponentType.ActionRow, components: [component] };
}

/** Under /kb stats: the declined questions not taught yet, each to be taught with a pick. */
async function teachMenu(guildId: string, guilds: CommandContext['guilds']): Promise<APIActionRowComponent<APIComponentInMessageActionRow>[]> {
  const declined = await guilds.teaching.declined(guildId);
  if (declined.length === 0) return [];
  return [
    row({
      type: ComponentType.StringSelect,
      custom_id: 'kb:teach',
      placeholder: 'Teach me a declined question…',
      options: declined.map((d) => ({ label: cutToLength(d.question, 100), value: d.key, description: `declined ${d.count}×` })),
    }),
  ];
}

function topicMenu(key: string, prompt: string, topics: Topic[]): Reply {
  const found = topics.length ? '' : '\nNothing close yet: search for the topic.';
  return {
    ephemeral: true,
    content: `${prompt} Pick it: from then on this question is answered with it, in this server.${found}`,
    components: [
      ...(topics.length
        ? [row({ type: ComponentType.StringSelect, custom_id: `kb:teach-to:${key}`, placeholder: 'The passage or entry that answers it', options: topics.map((t) => ({ label: cutToLength(t.title, 100), value: t.ref })) })]
        : []),
      row({ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `kb:teach-search:${key}`, label: 'Search for a topic', emoji: { name: '🔎' } }),
    ],
  };
}

function taught(outcome: TeachOutcome): Reply {
  if (!outcome.ok) {
    switch (outcome.problem) {
      case 'question-gone':
        return QUESTION_GONE;
      case 'topic-gone':
        return ephemeralText('That topic is gone (the knowledge base was reloaded, or the entry removed): pick another.');
      case 'limit':
        return ephemeralText(`Not taught: this server has taught ${outcome.limit} questions, the most it can. Forget some with \`/kb taught remove:\` first.`);
    }
  }
  const now = outcome.answer.answered
    ? `Asked now, it is answered (confidence ${Math.round(outcome.answer.confidence * 100)} %).`
    : 'Asked now, it is still declined: the answer may not say enough about it. Add an entry that does with `/kb add`.';
  return ephemeralText(`Taught: “${outcome.question}” is answered with **${outcome.title}** in this server. ${now}`);
}

async function listTaught(guildId: string, { guilds }: CommandContext): Promise<Reply> {
  const taughtHere = await guilds.teaching.taught(guildId);
  if (taughtHere.length === 0) return ephemeralText('This server has taught me nothing yet: pick a declined question under `/kb stats`.');
  const lines = taughtHere.map((t) => `“${t.phrasing}” → ${t.title ?? '*(no longer exists)*'}`);
  return {
    ephemeral: true,
    embeds: [{ color: BRAND_COLOUR, title: `Taught questions: ${taughtHere.length} of ${MAX_TAUGHT}`, description: cutLines(lines, DISCORD_LIMITS.description, 'forget some with `/kb taught remove:`') }],
  };
}

async function unteach(guildId: string, phrasing: string, { guilds }: CommandContext): Promise<Reply> {
  return ephemeralText((await guilds.teaching.unteach(guildId, phrasing)) ? `Forgot “${phrasing}”.` : `This server never taught me “${cutToLength(phrasing, 100)}”: see \`/kb taught\`.`);
}

async function exportTaught({ guilds }: CommandContext): Promise<Reply> {
  const exported = await guilds.teaching.exportAll();
  if (!exported) return ephemeralText('No server has taught me anything about the shared knowledge base yet.');
  return {
    ephemeral: true,
    content: `${exported.phrasings} phrasings from ${exported.servers} servers, under the sections they were taught to: fold them into knowledge/, then \`npm run train\`.`,
    files: [{ name: 'taught-phrasings.md', data: Buffer.from(exported.text) }],
  };
}
