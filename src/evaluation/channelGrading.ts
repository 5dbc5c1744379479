import type { Engine } from '../answering/engine.js';
import { answeringPassages, isHeldOutMessage, type LabelledMessage } from './labelledSets.js';

export const CHANNEL_TARGETS = { answeredShare: 0.9, falseAnswerShare: 0.05 };

export interface ChannelGrade {
  /** Messages to answer that were answered with a right passage among those shown. */
  answered: number;
  shouldAnswer: number;
  /** Messages to leave alone that were answered. */
  falseAnswers: number;
  leaveAlone: number;
  passed: boolean;
  misses: string[];
}

/** The channel decision on the messages held out of training, at a server's line. */
export function gradeChannel(engine: Engine, messages: readonly LabelledMessage[], minConfidence: number): ChannelGrade {
  const grade: ChannelGrade = { answered: 0, shouldAnswer: 0, falseAnswers: 0, leaveAlone: 0, passed: false, misses: [] };
  for (const message of messages.filter((m) => isHeldOutMessage(m.id))) {
    const answer = engine.answerMessage(message.message, minConfidence);
    const passages = answeringPassages(message);
    const summary = `${message.id} conf ${answer.confidence.toFixed(2)}: ${JSON.stringify(message.message.slice(0, 100))}`;
    if (passages.length) {
      grade.shouldAnswer++;
      if (answer.answered && answer.passages.some((p) => passages.includes(p.id))) grade.answered++;
      else grade.misses.push(`MISS ${summary} — ${answer.answered ? `answered from ${answer.passages[0]!.id}` : 'left alone'}`);
    } else {
      grade.leaveAlone++;
      if (answer.answered) {
        grade.falseAnswers++;
        grade.misses.push(`MISS ${summary} — answered, should be left alone`);
      }
    }
  }
  grade.passed = grade.answered >= CHANNEL_TARGETS.answeredShare * grade.shouldAnswer && grade.falseAnswers <= CHANNEL_TARGETS.falseAnswerShare * grade.leaveAlone;
  return grade;
}
