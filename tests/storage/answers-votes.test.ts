import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/storage/storeError.js';
import type { PostedAnswer, Store } from '../../src/storage/store.js';
import { BACKENDS, NOW, useBackendStores } from './support.js';

async function postAnswer(store: Store, messageId: string, askerId = '100000000000000001'): Promise<PostedAnswer> {
  const answer: PostedAnswer = {
    messageId,
    guildId: 'g1',
    channelId: 'c1',
    asker: store.memberHash(askerId),
    questionMessageId: `q-${messageId}`,
    passageIds: ['resume/length', 'interviews/leetcode'],
    confidence: 0.75,
    postedAt: NOW,
  };
  await store.recordAnswer(answer);
  return answer;
}

/** Where postAnswer posts. */
const posted = (messageId: string) => ({ guildId: 'g1', channelId: 'c1', messageId });

describe.each(BACKENDS)('%s', (backend) => {
  const temp = useBackendStores(backend);

  describe('posted answers', () => {
    it('are found again by message id', async () => {
      const store = await temp.open();
      const answer = await postAnswer(store, 'm1');
      expect(await store.answer(posted('m1'))).toEqual(answer);
      expect(await store.answer(posted('m2'))).toBeUndefined();
    });

    it('are found only in the server and channel they were posted in', async () => {
      const store = await temp.open();
      await postAnswer(store, 'm1');
      expect(await store.answer({ ...posted('m1'), guildId: 'g2' })).toBeUndefined();
      expect(await store.answer({ ...posted('m1'), channelId: 'c2' })).toBeUndefined();
    });

    it('are deleted with their votes', async () => {
      const store = await temp.open();
      await postAnswer(store, 'm1');
      await postAnswer(store, 'm2');
      await store.vote('m1', store.memberHash('200000000000000001'), 1);
      await store.vote('m2', store.memberHash('200000000000000001'), 1);
      await store.deleteAnswer('m1');
      expect(await store.answer(posted('m1'))).toBeUndefined();
      expect(await store.tally('m1')).toEqual({ helpful: 0, notHelpful: 0 });
      expect(await store.tally('m2')).toEqual({ helpful: 1, notHelpful: 0 });
      expect(await temp.sql('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM votes')).toEqual([{ n: 1 }]);
    });

    it('are refused on read when a row was corrupted, naming the table', async () => {
      const store = await temp.open();
      await postAnswer(store, 'm1');
      await temp.sql(`UPDATE answers SET passage_ids = '["a", 3]' WHERE message_id = 'm1'`);
      await expect(store.answer(posted('m1'))).rejects.toThrow(/invalid row in table answers \(message_id m1\): passage_ids\.1: Invalid input/);
    });
  });

  describe('votes', () => {
    it('tally 0/0 for a message nobody voted on, or that the bot never posted', async () => {
      const store = await temp.open();
      await postAnswer(store, 'm1');
      expect(await store.tally('m1')).toEqual({ helpful: 0, notHelpful: 0 });
      expect(await store.tally('unknown')).toEqual({ helpful: 0, notHelpful: 0 });
    });

    it('count one vote per member, a new vote replacing the old', async () => {
      const store = await temp.open();
      await postAnswer(store, 'm1');
      const alice = store.memberHash('300000000000000001');
      const bob = store.memberHash('300000000000000002');
      const carol = store.memberHash('300000000000000003');

      expect(await store.vote('m1', alice, 1)).toEqual({ helpful: 1, notHelpful: 0 });
      expect(await store.vote('m1', bob, -1)).toEqual({ helpful: 1, notHelpful: 1 });
      expect(await store.vote('m1', alice, 1)).toEqual({ helpful: 1, notHelpful: 1 });
      expect(await store.vote('m1', alice, -1)).toEqual({ helpful: 0, notHelpful: 2 });
      expect(await store.vote('m1', carol, 1)).toEqual({ helpful: 1, notHelpful: 2 });
      expect(await store.tally('m1')).toEqual({ helpful: 1, notHelpful: 2 });
    });

    it('are refused on a message that is not a recorded answer', async () => {
      const store = await temp.open();
      await expect(store.vote('unknown', store.memberHash('300000000000000001'), 1)).rejects.toThrow(StoreError);
      await expect(store.vote('unknown', store.memberHash('300000000000000001'), 1)).rejects.toThrow(/No recorded answer with message id unknown/);
    });

    it('keep their votes when an answer is recorded again', async () => {
      const store = await temp.open();
      const answer = await postAnswer(store, 'm1');
      await store.vote('m1', store.memberHash('300000000000000001'), -1);
      await store.recordAnswer({ ...answer, passageIds: ['salary/negotiation'] });
      expect((await store.answer(posted('m1')))?.passageIds).toEqual(['salary/negotiation']);
      expect(await store.tally('m1')).toEqual({ helpful: 0, notHelpful: 1 });
    });
  });
});
