import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadEngine } from '../../src/answering/engine.js';
import { CHANNEL_TARGETS, gradeChannel } from '../../src/evaluation/channelGrading.js';
import { evalSetSchema, grade, summarize, TARGETS } from '../../src/evaluation/grading.js';
import { labelledMessagesSchema } from '../../src/evaluation/labelledSets.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeDirectory } from '../../src/knowledge/loader.js';
import { ROLE_TERMS } from '../../src/search/lexicon.js';
import { findPlaces } from '../../src/search/places.js';
import { TermAnalyzer, toWords } from '../../src/search/terms.js';

const VERBATIM_CHECK = fileURLToPath(new URL('../../../shared/tools/verbatim-check.mjs', import.meta.url));

describe('answer quality', () => {
  it('meets the development question set target', async () => {
    const questions = evalSetSchema.parse(JSON.parse(await readFile(new URL('../eval/dev.json', import.meta.url), 'utf8')));
    const engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
    const summary = summarize(questions.map((q) => grade(q, engine.answer(q.question), engine.search(q.question, 3))));
    expect(summary.inScope.right / summary.inScope.total).toBeGreaterThanOrEqual(TARGETS.inScopeShare);
    expect(summary.outOfScope.right / summary.outOfScope.total).toBeGreaterThanOrEqual(TARGETS.outOfScopeShare);
  });

  it('keeps its generalisation on the holdout set, written blind to the knowledge base', async () => {
    // A regression guard below today's figures (77 % in scope, 100 % declined) and the targets of 85 % and 90 %:
    // the set judges the model and is never used to fit or choose it. A refit has moved the first between 70 and
    // 80 %, and one question is 5 points of the second.
    const questions = evalSetSchema.parse(JSON.parse(await readFile(new URL('../eval/holdout.json', import.meta.url), 'utf8')));
    const engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
    const summary = summarize(questions.map((q) => grade(q, engine.answer(q.question), engine.search(q.question, 3))));
    expect(summary.inScope.right / summary.inScope.total).toBeGreaterThanOrEqual(0.7);
    expect(summary.outOfScope.right / summary.outOfScope.total).toBeGreaterThanOrEqual(0.9);
  });

  it('answers the channel messages held out of training, and leaves the chatter alone', async () => {
    // Today: about 71 % of the messages to answer are answered right (the target is 90 %), at most 5 % of the rest;
    // a refit after a small change to the knowledge text moves the first by a few points, hence the margin.
    const messages = labelledMessagesSchema.parse(JSON.parse(await readFile(new URL('../eval/channel.json', import.meta.url), 'utf8')));
    const engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
    const channel = gradeChannel(engine, messages, engine.model.channel.defaultConfidence);
    expect(channel.answered / channel.shouldAnswer).toBeGreaterThanOrEqual(0.62);
    // The line is chosen to answer at most 5 % of the messages to leave alone in cross-validation; on about 140 held-out
    // messages one answer more or less moves that by 0.7 points.
    expect(channel.falseAnswers / channel.leaveAlone).toBeLessThanOrEqual(CHANNEL_TARGETS.falseAnswerShare + 0.02);
  });

  it('has phrasings that ask only what their section answers: no role, place or credential the section never names', async () => {
    const knowledge = await loadKnowledgeDirectory(DEFAULT_KNOWLEDGE_DIR);
    const analyzer = new TermAnalyzer();
    const claims = new Set([...Object.values(ROLE_TERMS), ...['masters', 'bachelor', 'certification', 'bootcamp'].map((w) => analyzer.termOf(w)!)]);
    const named = (text: string) => {
      const words = toWords(text);
      const places = findPlaces(words).flatMap((place) => analyzer.textTerms(place));
      return new Set([...analyzer.terms(words).map((t) => t.term).filter((term) => claims.has(term)), ...places]);
    };
    const overreaching = knowledge.passages.flatMap((passage) => {
      const section = knowledge.passages.filter((p) => p.file === passage.file && p.heading === passage.heading).map((p) => p.text);
      const covered = new Set(analyzer.textTerms([passage.documentTitle, passage.heading, ...section].join('\n')));
      return passage.phrasings.filter((phrasing) => [...named(phrasing)].some((term) => !covered.has(term))).map((phrasing) => `${passage.id}: ${phrasing}`);
    });
    expect(overreaching).toEqual([]);
  });

  it('copies no sentence from the source articles', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [VERBATIM_CHECK, 'knowledge'], { cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    expect(stdout.trim()).toBe('no run of 12+ words copied from the source articles');
  });
});
