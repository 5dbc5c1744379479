import type { DayCount, KnowledgeStats, QuestionRecord, VoteTally } from './store.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Days in the chart of /kb stats. */
export const CHARTED_DAYS = 30;

/** Votes on one posted answer, with the passages it quoted. */
export interface AnswerVotes extends VoteTally {
  passageIds: string[];
}

interface Counted {
  text: string;
  count: number;
}

/**
 * Counts texts case-insensitively on the trimmed text. The most recent spelling represents its group
 * (inputs come oldest first); ties are broken alphabetically so the result is stable.
 */
export function topTexts(texts: string[], limit: number): Counted[] {
  const groups = new Map<string, Counted>();
  for (const raw of texts) {
    const text = raw.trim();
    const key = text.toLowerCase();
    const group = groups.get(key);
    groups.set(key, { text, count: (group?.count ?? 0) + 1 });
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .slice(0, limit);
}

/** A passage quoted by an answer gets every vote on that answer; a passage quoted twice counts once. */
function worstPassages(answers: AnswerVotes[], limit: number): KnowledgeStats['worstPassages'] {
  const byPassage = new Map<string, { passageId: string; helpful: number; notHelpful: number }>();
  for (const answer of answers) {
    for (const passageId of new Set(answer.passageIds)) {
      const total = byPassage.get(passageId) ?? { passageId, helpful: 0, notHelpful: 0 };
      total.helpful += answer.helpful;
      total.notHelpful += answer.notHelpful;
      byPassage.set(passageId, total);
    }
  }
  const score = (p: VoteTally) => p.notHelpful - p.helpful;
  return [...byPassage.values()]
    .filter((p) => p.notHelpful > 0)
    .sort((a, b) => score(b) - score(a) || b.notHelpful - a.notHelpful || (a.passageId < b.passageId ? -1 : 1))
    .slice(0, limit);
}

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** Calendar days rather than 24-hour spans before now, so a bar is a day a moderator can name. */
function questionsPerDay(questions: QuestionRecord[], now: Date): DayCount[] {
  const days = new Map<string, DayCount>();
  for (let back = CHARTED_DAYS - 1; back >= 0; back--) {
    const day = utcDay(new Date(now.getTime() - back * DAY_MS));
    days.set(day, { day, answered: 0, declined: 0 });
  }
  for (const question of questions) {
    const count = days.get(utcDay(question.askedAt));
    if (count && question.answered) count.answered++;
    else if (count) count.declined++;
  }
  return [...days.values()];
}

/**
 * Statistics over a server's questions of the last 30 days (passed oldest first) and all votes on its answers.
 * Terms count once per question, so one long question cannot dominate the list.
 */
export function computeKnowledgeStats(questions30d: QuestionRecord[], answers: AnswerVotes[], now: Date): KnowledgeStats {
  const since7d = now.getTime() - 7 * DAY_MS;
  const declined = questions30d.filter((q) => !q.answered);
  const terms = questions30d.flatMap((q) => [...new Set(q.unmatchedTerms.map((t) => t.trim().toLowerCase()).filter((t) => t !== ''))]);
  return {
    questions7d: questions30d.filter((q) => q.askedAt.getTime() > since7d).length,
    questions30d: questions30d.length,
    answered30d: questions30d.length - declined.length,
    declined30d: declined.length,
    questionsPerDay: questionsPerDay(questions30d, now),
    mostAsked: topTexts(questions30d.map((q) => q.question), 5).map(({ text, count }) => ({ question: text, count })),
    mostDeclined: topTexts(declined.map((q) => q.question), 5).map(({ text, count }) => ({ question: text, count })),
    unmatchedTerms: topTexts(terms, 10).map(({ text, count }) => ({ term: text, count })),
    worstPassages: worstPassages(answers, 5),
  };
}
