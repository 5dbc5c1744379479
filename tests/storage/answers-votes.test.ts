import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/storage/sqliteStore.js';
import type { PostedAnswer, Store } from '../../src/storage/store.js';
import { NOW, useTempStores } from './support.js';

const temp = useTempStores();

function postAnswer(store: Store, messageId: string, askerId = '100000000000000001'): PostedAnswer {
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
  store.recordAnswer(answer);
  return answer;
}

/** Where postAnswer posts. */
const posted = (messageId: string) => ({ guildId: 'g1', channelId: 'c1', messageId });

describe('posted answers', () => {
  it('are found again by message id', () => {
    const store = temp.open();
    const answer = postAnswer(store, 'm1');
    expect(store.answer(posted('m1'))).toEqual(answer);
    expect(store.answer(posted('m2'))).toBeUndefined();
  });

  it('are found only in the server and channel they were posted in', () => {
    const store = temp.open();
    postAnswer(store, 'm1');
    expect(store.answer({ ...posted('m1'), guildId: 'g2' })).toBeUndefined();
    expect(store.answer({ ...posted('m1'), channelId: 'c2' })).toBeUndefined();
  });

  it('are deleted with their votes', () => {
    const store = temp.open();
    postAnswer(store, 'm1');
    postAnswer(store, 'm2');
    store.vote('m1', store.memberHash('200000000000000001'), 1);
    store.vote('m2', store.memberHash('200000000000000001'), 1);
    store.deleteAnswer('m1');
    expect(store.answer(posted('m1'))).toBeUndefined();
    expect(store.tally('m1')).toEqual({ helpful: 0, notHelpful: 0 });
    expect(store.tally('m2')).toEqual({ helpful: 1, notHelpful: 0 });
    expect(temp.connect().prepare('SELECT COUNT(*) FROM votes').pluck().get()).toBe(1);
  });

  it('are refused on read when a row was corrupted, naming the table', () => {
    const store = temp.open();
    postAnswer(store, 'm1');
    temp.connect().exec(`UPDATE answers SET passage_ids = '["a", 3]' WHERE message_id = 'm1'`);
    expect(() => store.answer(posted('m1'))).toThrow(/invalid row in table answers \(message_id m1\): passage_ids\.1: Invalid input/);
  });
});

describe('votes', () => {
  it('tally 0/0 for a message nobody voted on, or that the bot never posted', () => {
    const store = temp.open();
    postAnswer(store, 'm1');
    expect(store.tally('m1')).toEqual({ helpful: 0, notHelpful: 0 });
    expect(store.tally('unknown')).toEqual({ helpful: 0, notHelpful: 0 });
  });

  it('count one vote per member, a new vote replacing the old', () => {
    const store = temp.open();
    postAnswer(store, 'm1');
    const alice = store.memberHash('300000000000000001');
    const bob = store.memberHash('300000000000000002');
    const carol = store.memberHash('300000000000000003');

    expect(store.vote('m1', alice, 1)).toEqual({ helpful: 1, notHelpful: 0 });
    expect(store.vote('m1', bob, -1)).toEqual({ helpful: 1, notHelpful: 1 });
    expect(store.vote('m1', alice, 1)).toEqual({ helpful: 1, notHelpful: 1 });
    expect(store.vote('m1', alice, -1)).toEqual({ helpful: 0, notHelpful: 2 });
    expect(store.vote('m1', carol, 1)).toEqual({ helpful: 1, notHelpful: 2 });
    expect(store.tally('m1')).toEqual({ helpful: 1, notHelpful: 2 });
  });

  it('are refused on a message that is not a recorded answer', () => {
    const store = temp.open();
    expect(() => store.vote('unknown', store.memberHash('300000000000000001'), 1)).toThrow(StoreError);
    expect(() => store.vote('unknown', store.memberHash('300000000000000001'), 1)).toThrow(/No recorded answer with message id unknown/);
  });

  it('keep their votes when an answer is recorded again', () => {
    const store = temp.open();
    const answer = postAnswer(store, 'm1');
    store.vote('m1', store.memberHash('300000000000000001'), -1);
    store.recordAnswer({ ...answer, passageIds: ['salary/negotiation'] });
    expect(store.answer(posted('m1'))?.passageIds).toEqual(['salary/negotiation']);
    expect(store.tally('m1')).toEqual({ helpful: 0, notHelpful: 1 });
  });
});
