import type { Engine } from '../answering/engine.js';
import { withoutCode } from '../answering/messageSignals.js';
import { QuestionBank } from '../answering/questionBank.js';
import { answeringPassages, asksTheChannel, isHeldOutMessage, type LabelledMessage, type LabelledQuestion } from './labelledSets.js';

/** A labelled question as the conflicts list shows it. */
export interface LabelledItem {
  id: string;
  text: string;
  /** Empty when out of scope. */
  passages: readonly string[];
  /** Why it is out of scope. */
  reason?: string;
}

export interface LabelConflict {
  covered: LabelledItem;
  uncovered: LabelledItem;
  similarity: number;
}

/** Questions this alike are worded alike: one is a look-alike of the other. */
export const LOOK_ALIKE_SIMILARITY = 0.6;
/** Look-alikes read per question: enough for any one question's twins. */
const LOOK_ALIKES = 10;

/**
 * Look-alike questions (as alike as the questions asked before are weighed) labelled one in scope and one out
 * of scope: the labelled questions and the questions put to a channel, but for the messages held out, which
 * judge the model and are not read here. Such pairs teach the model two answers to one question; each pair is
 * for a person to settle against the passages, by one rule. Most alike first.
 */
export function labelConflicts(engine: Engine, questions: readonly LabelledQuestion[], messages: readonly LabelledMessage[], minSimilarity = LOOK_ALIKE_SIMILARITY): LabelConflict[] {
  const channelQuestions = messages.filter((m) => !isHeldOutMessage(m.id) && asksTheChannel(m));
  const items = [...questions.map((q) => itemOf(q, q.question)), ...channelQuestions.map((m) => itemOf(m, m.message))];
  // Read as training reads them: a message without its code.
  const terms = [...questions.map((q) => termsOf(engine, q.question)), ...channelQuestions.map((m) => termsOf(engine, withoutCode(m.message)))];
  const bank = QuestionBank.of(items.map(({ passages }, i) => ({ terms: terms[i]!, passages })));
  const conflicts: LabelConflict[] = [];
  items.forEach((item, i) => {
    if (item.passages.length === 0) return;
    for (const { question, similarity } of bank.nearestQuestions(terms[i]!, LOOK_ALIKES, i)) {
      if (similarity < minSimilarity) break;
      if (items[question]!.passages.length === 0) conflicts.push({ covered: item, uncovered: items[question]!, similarity });
    }
  });
  return conflicts.sort((a, b) => b.similarity - a.similarity);
}

function itemOf(item: LabelledQuestion | LabelledMessage, text: string): LabelledItem {
  if ('passages' in item) return { id: item.id, text, passages: answeringPassages(item) };
  const { category, reason } = 'outOfScope' in item ? item.outOfScope : item.leaveAlone;
  return { id: item.id, text, passages: [], reason: `${category}: ${reason}` };
}

const termsOf = (engine: Engine, text: string) => engine.analyze(text).terms.map((t) => t.term);

