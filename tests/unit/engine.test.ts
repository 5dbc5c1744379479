import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, loadEngine, MAX_ANSWER_CHARS, type Engine } from '../../src/answering/engine.js';
import { DEFAULT_KNOWLEDGE_DIR, parseKnowledge } from '../../src/knowledge/loader.js';
import { document, knowledgeFiles } from '../support/knowledgeFixtures.js';

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
});

describe('answering from the knowledge base', () => {
  it('answers with the best passage, its source and what it matched', () => {
    const answer = engine.answer('what is data drift');
    expect(answer.answered).toBe(true);
    expect(answer.confidence).toBeGreaterThanOrEqual(0.5);
    expect(answer.passages[0]!.text.toLowerCase()).toContain('drift');
    expect(answer.passages[0]!.sources.map((s) => s.text).join()).toContain('Code Labs Academy');
    expect(answer.text).toMatch(/Sources?:\n• /);
    expect(answer.matchedTerms).toEqual(['data drift']);
    expect(answer.suggestions).toEqual([]);
  });

  it('keeps the whole reply within its length budget', () => {
    for (const question of ['which tools should I learn?', 'what skills does an ML engineer need', 'ML engineer vs data scientist']) {
      expect(engine.answer(question).text.length).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
    }
  });

  it.each([
    ['ml engineer vs statistician', 'statistician vs ml engineer'],
    ['difference between a data scientist and an ML engineer', 'difference between an ML engineer and a data scientist'],
    ['SWE vs MLE', 'MLE vs SWE'],
    ['data analyst or ML engineer, which is better for me?', 'ML engineer or data analyst, which is better for me?'],
  ])('answers "%s" and "%s" the same way, from the comparison', (one, other) => {
    const first = engine.answer(one);
    const second = engine.answer(other);
    expect(first.answered).toBe(true);
    expect(second.text).toBe(first.text);
    expect(first.passages[0]!.id).toMatch(/-vs-/);
  });

  it.each([
    'how do i bake bread',
    'whats the weather like in london today?',
    'who won the champions league last year',
    'what is the capital of france',
    'how much does a nurse earn?',
    'my python script throws KeyError: "id" on line 12, help',
    'recommend a good pizza place',
  ])('declines "%s" rather than guess', (question) => {
    const answer = engine.answer(question);
    expect(answer.answered).toBe(false);
    expect(answer.passages).toEqual([]);
    expect(answer.text).toContain('not covered');
    expect(answer.suggestions.length).toBeLessThanOrEqual(3);
  });

  it('offers nearby topics when a question is close to the knowledge base but not in it', () => {
    const answer = engine.answer('what laptop should an ML engineer buy for deep learning at home');
    expect(answer.answered).toBe(false);
    expect(answer.suggestions.length).toBeGreaterThan(0);
    expect(answer.text).toContain(answer.suggestions[0]);
  });

  it('reads through typos, but a corrected word never counts for more than a word typed right', () => {
    const typed = engine.answer('what are the responsibilites of a machine learning enginer');
    const right = engine.answer('what are the responsibilities of a machine learning engineer');
    expect(typed.answered).toBe(true);
    expect(typed.corrections).toEqual([
      { typed: 'responsibilites', corrected: 'responsibilities' },
      { typed: 'enginer', corrected: 'engineer' },
    ]);
    expect(typed.passages[0]!.id).toBe(right.passages[0]!.id);
    const retrieved = (question: string) => engine.analyze(question).candidates.find((c) => c.id === right.passages[0]!.id)!.bm25;
    expect(retrieved('what are the responsibilites of a machine learning enginer')).toBeLessThan(retrieved('what are the responsibilities of a machine learning engineer'));
  });

  it('does not "correct" a word the knowledge base has', () => {
    expect(engine.answer('which models do ML engineers train').corrections).toEqual([]);
  });

  it('handles hostile and huge input in bounded form', () => {
    const huge = engine.answer(`${'salary '.repeat(2000)}@everyone <@123> **bold** \u0007`);
    expect(huge.question.length).toBeLessThanOrEqual(500);
    expect(huge.text).not.toMatch(/@everyone|<@/);
    const empty = engine.answer('   ');
    expect(empty.answered).toBe(false);
    expect(empty.question).toBe('');
  });

  it('gives equal questions equal answers', () => {
    expect(engine.answer('which tools should I learn?')).toEqual(engine.answer('which tools should I learn?'));
  });
});

describe('other views of the knowledge base', () => {
  it('suggests up to 25 questions for autocomplete, prefix-matching the word being typed', () => {
    expect(engine.suggest('')).toHaveLength(25);
    const drift = engine.suggest('data dri');
    expect(drift.length).toBeGreaterThan(0);
    expect(drift[0]!.toLowerCase()).toContain('drift');
    for (const suggestion of engine.suggest('salary')) expect(suggestion.length).toBeLessThanOrEqual(100);
  });

  it('ranks exact matches above prefix matches', () => {
    const suggestions = engine.suggest('tools ');
    expect(suggestions[0]!.toLowerCase()).toMatch(/\btools?\b/);
  });

  it('answers its own suggestions', () => {
    for (const suggestion of engine.suggest('').slice(0, 10)) expect(engine.answer(suggestion).answered, suggestion).toBe(true);
  });

  it('lists passages by topic, role profiles and comparisons', () => {
    expect(engine.passagesByTopic('career-paths').length).toBeGreaterThan(0);
    const profile = engine.roleProfile('statistician');
    expect(profile?.aspects.map((a) => a.heading)).toEqual(['Focus', 'Skills', 'Tools', 'Typical work']);
    expect(engine.comparisonPassages('statistician', 'ml-engineer')).toEqual(engine.comparisonPassages('ml-engineer', 'statistician'));
    expect(engine.comparisonPassages('data-analyst', 'ml-engineer').length).toBeGreaterThan(0);
  });

  it('has at least 40 tips, each with a known source', () => {
    const sourceIds = new Set(engine.sources.map((s) => s.id));
    expect(engine.tips.length).toBeGreaterThanOrEqual(40);
    for (const tip of engine.tips) expect(sourceIds.has(tip.source)).toBe(true);
  });

  it('reads a place in the backstory as context, and a place asked about, or any place in a pay question, as the subject', () => {
    expect(engine.analyze("I'm from Egypt and finishing my degree. Do I need a master's to become an ML engineer?").places).toEqual([]);
    expect(engine.analyze("do ML engineers need a master's in Egypt?").places).toEqual(['egypt']);
    expect(engine.analyze("I'm in Germany. How much do ML engineers earn?").places).toEqual(['germany']);
  });

  it('builds from in-memory documents as well as from a directory', () => {
    const small = createEngine(parseKnowledge(knowledgeFiles()));
    expect(small.answer('how much does an ml engineer earn in india').passages[0]?.id).toBe('salary/how-much-does-an-ml-engineer-earn-in-india');
  });
});

describe('ranking', () => {
  const topics = { topic: 'ml-engineer', sources: '[guide]', reviewed: '2026-11-23' };
  const small = createEngine(
    parseKnowledge(
      knowledgeFiles({
        'knowledge/history.md': document(
          { ...topics, title: 'History' },
          '\n## How did the ML engineer role come about?\n\nData scientist was once the go-to title. As demand for data grew, so did the work, and the ML engineer role split off.\n',
        ),
        'knowledge/notes.md': document(
          { ...topics, title: 'Member notes' },
          '\n## What is the ML engineer role about?\n\nData scientist was once the go-to title. As demand for data grew, so did the work, and the ML engineer role split off.\n',
        ),
        'knowledge/tools.md': document({ ...topics, title: 'Tools ML engineers use' }, '\n## Data visualisation tools\n\nMatplotlib, Seaborn and Tableau.\n'),
        'knowledge/skills.md': document(
          { ...topics, title: 'Skills an ML engineer needs' },
          '\n## Data visualisation for ML engineers\n\nML engineers visualise data to explain what they find, in clear graphs and charts.\n',
        ),
      }),
    ),
  );

  it('puts the passage whose heading asks the question above one that says the same under another heading', () => {
    expect(small.search('how did the ML engineer role even come about', 2).map((p) => p.id)).toEqual([
      'history/how-did-the-ml-engineer-role-come-about',
      'notes/what-is-the-ml-engineer-role-about',
    ]);
  });

  it('ranks comparisons the same whichever role is named first', () => {
    expect(engine.search('data scientist vs ml engineer', 5)).toEqual(engine.search('ml engineer vs data scientist', 5));
  });

  it('reads "what do they use for" as asking for tools', () => {
    expect(small.answer('what do ML engineers use for data visualisation').passages[0]?.id).toBe('tools/data-visualisation-tools');
  });
});

describe('the engine as a library', () => {
  it('imports nothing from Discord', async () => {
    for (const dir of ['src/answering', 'src/search', 'src/knowledge']) {
      for (const file of await readdir(dir)) {
        expect(await readFile(join(dir, file), 'utf8'), file).not.toMatch(/from ['"]discord\.js['"]/);
      }
    }
  });
});
