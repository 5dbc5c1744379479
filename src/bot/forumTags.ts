import type { AnyThreadChannel } from 'discord.js';
import type { Logger } from '../logger.js';

/** Discord's limit of tags on one post. */
export const MAX_POST_TAGS = 5;

/**
 * A post's tags with one more; none to set when it has that tag already or no room left. Tags are only ever
 * added: those a moderator or the member chose stay.
 */
export function withTag(applied: readonly string[], tagId: string): string[] | undefined {
  return applied.includes(tagId) || applied.length >= MAX_POST_TAGS ? undefined : [...applied, tagId];
}

/** Adds a tag to a forum post, when its forum still has it; a failure is logged, and the answer stands. */
export async function addTagToPost(post: AnyThreadChannel, tagId: string, logger: Logger): Promise<void> {
  const tags = withTag(post.appliedTags, tagId);
  const forum = post.parent;
  if (!tags || !forum?.isThreadOnly() || !forum.availableTags.some((tag) => tag.id === tagId)) return;
  try {
    await post.setAppliedTags(tags);
  } catch (error) {
    logger.warn({ err: error, guildId: post.guildId, channelId: post.id, tagId }, 'could not tag a forum post');
  }
}
