import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../../src/answering/engine.js';
import { composeReply, READING_BUDGET, sentencesOfLine, sourcesText, type Citation } from '../../src/answering/replyText.js';
import { confidenceWords } from '../../src/bot/answerReply.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/knowledge/loader.js';

const words = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
const passage = (id: string, text: string, sources: Citation[] = [{ text: 'Guide (2024)' }]) => ({ id, title: `Doc › ${id}`, text, sources });

describe('composing a reply', () => {
  it('shows the best passage whole and drops what a further passage repeats', () => {
    const shown = composeReply(
      [
        passage('best', 'ML engineers earn about $146,085 a year in the US. They build models.'),
        passage('more', 'ML engineers earn about $146,085 a year in the US. Entry-level pay is up to $98,000 in the first year, and bonuses, stock grants and equity come on top of the base salary later on.'),
      ],
      words,
    );
    expect(shown.map((p) => p.text)).toEqual([
      'ML engineers earn about $146,085 a year in the US. They build models.',
      'Entry-level pay is up to $98,000 in the first year, and bonuses, stock grants and equity come on top of the base salary later on.',
    ]);
  });

  it('leaves out a further passage with nothing new, and keeps list lines as lines', () => {
    const shown = composeReply(
      [passage('best', 'Tools:\n- Python\n- SQL for data'), passage('same', 'Tools:\n- Python\n- SQL for data'), passage('list', '- PyTorch for deep learning models and for research code\n- Tableau for dashboards and reports shown to stakeholders every week\n- Python')],
      words,
    );
    expect(shown.map((p) => p.id)).toEqual(['best', 'list']);
    expect(shown[1]!.text).toBe('- PyTorch for deep learning models and for research code\n- Tableau for dashboards and reports shown to stakeholders every week');
  });

  it('keeps the further passages within the reading budget, cut at a sentence', () => {
    const long = Array.from({ length: 40 }, (_, i) => `Fact number ${i} is about topic ${i * 7}.`).join(' ');
    const shown = composeReply([passage('best', 'A short best answer about pay.'), passage('long', long), passage('other', long.replace(/Fact/g, 'Point'))], words);
    expect(shown.reduce((sum, p) => sum + p.text.length, 0)).toBeLessThanOrEqual(READING_BUDGET);
    expect(shown[1]!.text).toMatch(/\.…?$/);
  });

  it('cites each passage’s own sources, with links, once per set of sources', () => {
    const text = sourcesText([
      passage('pay', 'x', [{ text: 'BLS (2024)', url: 'https://www.bls.gov/ooh/' }]),
      passage('skills', 'y', [{ text: 'Guide (2024)' }]),
      passage('tools', 'z', [{ text: 'Guide (2024)' }]),
    ]);
    expect(text).toBe('Sources:\n• pay: [BLS (2024)](https://www.bls.gov/ooh/)\n• skills; tools: Guide (2024)');
  });
});

describe('replies to real questions', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
  });

  it('never say a sentence twice', async () => {
    const questions = [
      ...((JSON.parse(await readFile(new URL('../eval/dev.json', import.meta.url), 'utf8')) as { question: string }[]).map((q) => q.question)),
      ...((JSON.parse(await readFile(new URL('../eval/train.json', import.meta.url), 'utf8')) as { question: string }[]).slice(0, 300).map((q) => q.question)),
    ];
    for (const question of questions) {
      const sentences = engine.answer(question).passages.flatMap((p) => p.text.split('\n').flatMap(sentencesOfLine)).map((s) => words(s).join(' '));
      const repeated = sentences.filter((s, i) => s.split(' ').length > 3 && sentences.indexOf(s) !== i);
      expect(repeated, question).toEqual([]);
    }
  });

  it('say how sure they are in words, from the calibrated probability', () => {
    expect(confidenceWords(0.95)).toBe("I'm confident this answers it.");
    expect(confidenceWords(0.75)).toBe('This should answer it.');
    expect(confidenceWords(0.64)).toBe('This may help.');
  });
});
