import { describe, expect, it } from 'vitest';
import type { MemberHash, QuestionRecord, Store } from '../../src/storage/store.js';
import { BACKENDS, NOW, daysAgo, useBackendStores } from './support.js';

async function ask(store: Store, asker: MemberHash, question: string, ageDays: number, extra: Partial<QuestionRecord> = {}): Promise<void> {
  await store.logQuestions([{
    guildId: 'g1',
    asker,
    question,
    answered: true,
    confidence: 0.8,
    unmatchedTerms: [],
    passageIds: [],
    via: 'channel',
    askedAt: daysAgo(ageDays),
    ...extra,
  }]);
}

async function answerWithVotes(store: Store, messageId: string, guildId: string, passageIds: string[], votes: (1 | -1)[]): Promise<void> {
  await store.recordAnswer({
    messageId,
    guildId,
    channelId: 'c1',
    asker: store.memberHash('900000000000000000'),
    questionMessageId: `q-${messageId}`,
    passageIds,
    confidence: 0.7,
    postedAt: NOW,
  });
  for (const [i, value] of votes.entries()) await store.vote(messageId, store.memberHash(`80000000000000000${i}`), value);
}

describe.each(BACKENDS)('%s', (backend) => {
  const temp = useBackendStores(backend);

  async function questionCounts(): Promise<Record<string, number>> {
    const rows = (await temp.sql('SELECT guild_id, CAST(COUNT(*) AS INTEGER) AS n FROM questions GROUP BY guild_id')) as { guild_id: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.guild_id, row.n]));
  }

  describe('knowledge stats', () => {
    it('count questions by age, group texts case-insensitively and rank terms and passages', async () => {
      const store = await temp.open();
      const member = store.memberHash('700000000000000001');
      await ask(store, member, 'How long should my resume be?', 1, { unmatchedTerms: ['Pages'] });
      await ask(store, member, '  how long should my resume be? ', 3);
      await ask(store, member, 'HOW LONG SHOULD MY RESUME BE?', 10);
      await ask(store, member, 'Is a PhD needed?', 2, { answered: false, unmatchedTerms: ['phd'] });
      await ask(store, member, 'is a phd needed?', 20, { answered: false, unmatchedTerms: ['phd', 'phd'] });
      await ask(store, member, 'What about quantum ML?', 5, { answered: false, unmatchedTerms: ['quantum', 'pages'] });
      await ask(store, member, 'Too old to count?', 31, { unmatchedTerms: ['ancient'] });
      await ask(store, member, 'Another server', 1, { guildId: 'g2' });

      await answerWithVotes(store, 'm1', 'g1', ['p1', 'p2'], [-1, -1, 1]);
      await answerWithVotes(store, 'm2', 'g1', ['p2', 'p3'], [-1]);
      await answerWithVotes(store, 'm3', 'g1', ['p4'], [1, 1]);
      await answerWithVotes(store, 'm4', 'g2', ['p1'], [-1, -1, -1]);

      const { questionsPerDay, ...stats } = await store.knowledgeStats('g1', NOW);
      expect(questionsPerDay.filter((d) => d.answered + d.declined > 0)).toEqual([
        { day: '2030-05-26', answered: 0, declined: 1 },
        { day: '2030-06-05', answered: 1, declined: 0 },
        { day: '2030-06-10', answered: 0, declined: 1 },
        { day: '2030-06-12', answered: 1, declined: 0 },
        { day: '2030-06-13', answered: 0, declined: 1 },
        { day: '2030-06-14', answered: 1, declined: 0 },
      ]);
      expect(stats).toEqual({
        questions7d: 4,
        questions30d: 6,
        answered30d: 3,
        declined30d: 3,
        mostAsked: [
          { question: 'How long should my resume be?', count: 3 },
          { question: 'Is a PhD needed?', count: 2 },
          { question: 'What about quantum ML?', count: 1 },
        ],
        mostDeclined: [
          { question: 'Is a PhD needed?', count: 2 },
          { question: 'What about quantum ML?', count: 1 },
        ],
        unmatchedTerms: [
          { term: 'pages', count: 2 },
          { term: 'phd', count: 2 },
          { term: 'quantum', count: 1 },
        ],
        worstPassages: [
          { passageId: 'p2', helpful: 1, notHelpful: 3 },
          { passageId: 'p1', helpful: 1, notHelpful: 2 },
          { passageId: 'p3', helpful: 0, notHelpful: 1 },
        ],
      });
    });

    it('cap the lists: 5 questions, 10 terms, 5 passages', async () => {
      const store = await temp.open();
      const member = store.memberHash('700000000000000001');
      for (let i = 0; i < 12; i++) {
        await ask(store, member, `question ${String(i).padStart(2, '0')}`, 1, { answered: false, unmatchedTerms: [`term${String(i).padStart(2, '0')}`] });
        await answerWithVotes(store, `m${i}`, 'g1', [`p${String(i).padStart(2, '0')}`], [-1]);
      }
      const stats = await store.knowledgeStats('g1', NOW);
      expect(stats.mostAsked.map((q) => q.question)).toEqual(['question 00', 'question 01', 'question 02', 'question 03', 'question 04']);
      expect(stats.mostDeclined).toHaveLength(5);
      expect(stats.unmatchedTerms).toHaveLength(10);
      expect(stats.worstPassages.map((p) => p.passageId)).toEqual(['p00', 'p01', 'p02', 'p03', 'p04']);
    });

    it('count questions per UTC day over the 30 days ending today, days without questions included', async () => {
      const store = await temp.open();
      const member = store.memberHash('700000000000000001');
      await ask(store, member, 'asked today just after midnight', 0.49);
      await ask(store, member, 'asked yesterday just before midnight', 0.51, { answered: false });
      await ask(store, member, 'within 30 times 24 hours, but the day before the first charted day', 29.6);
      const days = (await store.knowledgeStats('g1', NOW)).questionsPerDay;
      expect(days.map((d) => d.day)).toEqual(Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2030, 4, 17 + i)).toISOString().slice(0, 10)));
      expect(days.at(-1)).toEqual({ day: '2030-06-15', answered: 1, declined: 0 });
      expect(days.at(-2)).toEqual({ day: '2030-06-14', answered: 0, declined: 1 });
      expect(days.slice(0, -2).every((d) => d.answered + d.declined === 0)).toBe(true);
    });

    it('are empty for a server without questions', async () => {
      const { questionsPerDay, ...stats } = await (await temp.open()).knowledgeStats('g1', NOW);
      expect(questionsPerDay).toHaveLength(30);
      expect(questionsPerDay.every((d) => d.answered === 0 && d.declined === 0)).toBe(true);
      expect(stats).toEqual({
        questions7d: 0,
        questions30d: 0,
        answered30d: 0,
        declined30d: 0,
        mostAsked: [],
        mostDeclined: [],
        unmatchedTerms: [],
        worstPassages: [],
      });
    });

    it('refuse a corrupted question row, naming the table', async () => {
      const store = await temp.open();
      await ask(store, store.memberHash('700000000000000001'), 'Is a PhD needed?', 1);
      await temp.sql(`UPDATE questions SET via = 'carrier pigeon'`);
      await expect(store.knowledgeStats('g1', NOW)).rejects.toThrow(/invalid row in table questions \(id 1\): via: Invalid option/);
    });
  });

  describe('purging expired questions', () => {
    it("follows each server's retention, 30 days for servers without settings", async () => {
      const store = await temp.open();
      const member = store.memberHash('700000000000000001');
      await store.updateSettings('short', (s) => ({ ...s, retentionDays: 7 }));
      await store.updateSettings('long', (s) => ({ ...s, retentionDays: 90 }));
      for (const [guildId, kept, expired] of [['short', 6, 8], ['long', 60, 100], ['default', 29, 31]] as const) {
        await ask(store, member, 'kept', kept, { guildId });
        await ask(store, member, 'expired', expired, { guildId });
      }

      expect(await store.purgeExpiredQuestions(NOW)).toBe(3);
      expect(await questionCounts()).toEqual({ short: 1, long: 1, default: 1 });
      expect(await store.purgeExpiredQuestions(NOW)).toBe(0);
    });
  });

  describe('forgetting a member', () => {
    it("deletes the member's questions, votes, opt-outs and answers with their votes, and nothing of others", async () => {
      const store = await temp.open();
      const forgotten = store.memberHash('600000000000000001');
      const other = store.memberHash('600000000000000002');
      const voter = store.memberHash('600000000000000003');
      await ask(store, forgotten, 'mine', 1);
      await ask(store, forgotten, 'mine too', 2, { guildId: 'g2' });
      await ask(store, other, 'theirs', 1);
      await store.setOptedOut('g1', forgotten, true);
      await store.setOptedOut('g1', other, true);
      for (const [messageId, asker] of [['m-forgotten', forgotten], ['m-other', other]] as const) {
        await store.recordAnswer({ messageId, guildId: 'g1', channelId: 'c1', asker, questionMessageId: 'q', passageIds: ['p1'], confidence: 0.9, postedAt: NOW });
      }
      await store.vote('m-forgotten', other, 1);
      await store.vote('m-forgotten', voter, -1);
      await store.vote('m-other', forgotten, -1);
      await store.vote('m-other', voter, 1);

      // 2 questions + 1 opt-out + 1 answer + its 2 votes + 1 vote on another answer
      expect(await store.forgetMember(forgotten)).toBe(7);

      expect(await store.answer({ guildId: 'g1', channelId: 'c1', messageId: 'm-forgotten' })).toBeUndefined();
      expect(await store.tally('m-forgotten')).toEqual({ helpful: 0, notHelpful: 0 });
      expect(await store.isOptedOut('g1', forgotten)).toBe(false);
      expect((await store.knowledgeStats('g2', NOW)).questions30d).toBe(0);

      expect((await store.answer({ guildId: 'g1', channelId: 'c1', messageId: 'm-other' }))?.asker).toBe(other);
      expect(await store.tally('m-other')).toEqual({ helpful: 1, notHelpful: 0 });
      expect(await store.isOptedOut('g1', other)).toBe(true);
      expect((await store.knowledgeStats('g1', NOW)).mostAsked).toEqual([{ question: 'theirs', count: 1 }]);

      expect(await store.forgetMember(forgotten)).toBe(0);
    });
  });
});
