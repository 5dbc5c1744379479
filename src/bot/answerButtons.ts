import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';
import type { Guilds } from '../guilds/guilds.js';
import type { BotPermission } from '../guilds/permissions.js';
import type { Invoker } from './command.js';
import { ephemeralText, type Reply } from './reply.js';
import type { Store, VoteTally } from '../storage/store.js';

export const ANSWER_BUTTON_PREFIX = 'answer:';
const HELPFUL = `${ANSWER_BUTTON_PREFIX}helpful`;
const NOT_HELPFUL = `${ANSWER_BUTTON_PREFIX}not-helpful`;
const DELETE = `${ANSWER_BUTTON_PREFIX}delete`;

/** The buttons under an answer posted in a channel, with the votes so far. */
export function answerButtons(tally: VoteTally): APIActionRowComponent<APIComponentInMessageActionRow> {
  return {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Success, custom_id: HELPFUL, label: `Helpful (${tally.helpful})`, emoji: { name: '👍' } },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: NOT_HELPFUL, label: `Not helpful (${tally.notHelpful})`, emoji: { name: '👎' } },
      { type: ComponentType.Button, style: ButtonStyle.Danger, custom_id: DELETE, label: 'Delete', emoji: { name: '🗑️' } },
    ],
  };
}

export type ButtonOutcome =
  /** Redraw the buttons of the answer with new counts (and add a tag to the forum post it answers). */
  | { kind: 'update'; components: APIActionRowComponent<APIComponentInMessageActionRow>[]; tagId?: string }
  /** Delete the answer, then tell the member privately. */
  | { kind: 'delete'; reply: Reply }
  | { kind: 'reply'; reply: Reply };

export interface ButtonPress {
  customId: string;
  messageId: string;
  invoker: Invoker;
  /** Manage Messages or Manage Server in the channel, checked by the bot from the interaction. */
  canModerate: boolean;
  /** The forum, when the answer is in one of its posts. */
  forumId: string | null;
  /** What the bot may do where the answer is. */
  granted: readonly BotPermission[];
}

/**
 * A vote (one per member per answer; pressing the other button changes it) or a delete (by the member who
 * asked, or a moderator) on an answer the bot posted in a channel. The asker's 👍 on an answer in a forum post
 * marks the post solved, where the forum has a tag for that.
 */
export async function pressAnswerButton(press: ButtonPress, guilds: Guilds, store: Store): Promise<ButtonOutcome> {
  const { guildId, channelId } = press.invoker;
  const answer = guildId && channelId ? await store.answer({ guildId, channelId, messageId: press.messageId }) : undefined;
  if (!answer) return { kind: 'reply', reply: ephemeralText('This answer is no longer tracked, so it cannot take votes any more.') };
  const member = store.memberHash(press.invoker.userId);
  if (press.customId === DELETE) {
    if (answer.asker !== member && !press.canModerate) {
      return { kind: 'reply', reply: ephemeralText('Only the member who asked, or a moderator, can delete this answer.') };
    }
    await store.deleteAnswer(press.messageId);
    return { kind: 'delete', reply: ephemeralText('Deleted the answer.') };
  }
  if (press.customId === HELPFUL || press.customId === NOT_HELPFUL) {
    const helpful = press.customId === HELPFUL;
    const tally = await store.vote(press.messageId, member, helpful ? 1 : -1);
    const solved = helpful && answer.asker === member && press.forumId ? guilds.settings.tagToAdd(await guilds.settings.of(answer.guildId), press.forumId, 'solved', press.granted) : undefined;
    return { kind: 'update', components: [answerButtons(tally)], ...(solved ? { tagId: solved } : {}) };
  }
  return { kind: 'reply', reply: ephemeralText('That button is not one I know any more.') };
}
