import { describe, expect, it } from 'vitest';
import { looksLikeQuestion } from '../../src/bot/questionDetection.js';

describe('which channel messages look like questions', () => {
  it.each([
    'ML engineer vs data scientist?',
    'ml engineer vs statistician',
    'what skills do i need for an entry level ML engineer job',
    'do I need a masters to get into ML',
    'hey, which tools should i learn first?',
    'Is it worth doing the AWS ML specialty cert?',
    'anyone know how much ML engineers make in india',
    'difference between a data analyst and a data scientist',
    'should i learn pytorch or tensorflow',
    'any tips for landing a first ML job',
    'how do i move from SWE into ML engineering',
    'ML eng salary in the US?',
  ])('"%s" is a question', (message) => {
    expect(looksLikeQuestion(message)).toBe(true);
  });

  it.each([
    'thanks everyone!',
    'lol',
    'I just finished my first Kaggle competition, so happy',
    'good morning all',
    'here is my notebook: https://example.com/notebook',
    '```python\nprint("why does this fail?")\n```',
    '??',
    'ok',
    `${'I have a long story about my career. '.repeat(20)}what do you think?`,
    'Check out this article about transformers.',
  ])('"%s" is not', (message) => {
    expect(looksLikeQuestion(message)).toBe(false);
  });
});
