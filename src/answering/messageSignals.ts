import { toWords } from '../search/terms.js';
import { isDomainWord, opensLikeQuestion, sentencesOf } from './questionSignals.js';

// How much a chat message reads like a question put to the channel, as features for the channel model (see
// decision.ts): members ask with a backstory, without a question mark, beside a code block; they also chat,
// joke, report outages and answer each other, none of which the bot should jump into.

export const CHANNEL_FEATURES = [
  'questionMark',
  'askingOpening',
  'requestCue',
  'comparisonCue',
  'fieldWords',
  'codeShare',
  'wordCount',
  'sentenceCount',
  'exclamation',
  'laughter',
  'addressesSomeone',
  'firstPersonOpening',
  'secondPerson',
  'link',
  'askingWords',
] as const;

/**
 * Per word, the smoothed log-odds that a labelled chat message holding it was a question put to the channel
 * rather than chatter (`npm run train` counts them; words fewer than two messages hold are left out).
 */
export type ChannelWords = Readonly<Record<string, number>>;

const CODE = /```[\s\S]*?(```|$)|`[^`\n]+`/g;
const REQUEST = /\b(advice|advise|tips?|recommend\w*|suggest\w*|thoughts|opinions?|wondering|guidance|help me|should i|do i|how (do|can|would) i|any ?one know|any idea|pointers|insights?)\b/i;
const COMPARISON = /\b(vs\.?|versus|difference between|compared to|better than|or should i)\b/i;
// The emoji are 😂 🤣 💀, written as escapes: the bundle is kept ASCII (src/cli/build.ts).
const LAUGHTER = /\b(lol|lmao|lmfao|rofl|haha\w*|xd)\b|\uD83D\uDE02|\uD83E\uDD23|\uD83D\uDC80/i;
const SECOND_PERSON = /\b(you|u|ya|y'?all|anyone|any one|anybody|someone|somebody|guys|folks|people)\b/i;
const FIRST_PERSON_OPENING = /^\s*(i|im|i'm|ive|i've|my|we|we're|me)\b/i;

/** The message without its code: what is asked, not what is pasted. */
export function withoutCode(message: string): string {
  return message.replace(CODE, ' ').trim();
}

/** Whether a message asks something in so many words: a question mark, or a sentence opening like a question. */
export function readsAsQuestion(message: string): boolean {
  const prose = withoutCode(message);
  return prose.includes('?') || sentencesOf(prose).some(opensLikeQuestion);
}

/** The distinct words of a message's prose, as the channel's words are counted. */
export function messageWords(message: string): string[] {
  return [...new Set(toWords(withoutCode(message)).map((w) => w.word))];
}

/** How much a message reads as a question put to the channel, as features. */
export function messageFeatures(message: string, channelWords: ChannelWords): number[] {
  const prose = withoutCode(message);
  const codeChars = message.length - prose.length;
  const words = prose.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  const sentences = sentencesOf(prose).filter((s) => /\p{L}/u.test(s));
  const features: Record<(typeof CHANNEL_FEATURES)[number], number> = {
    questionMark: prose.includes('?') ? 1 : 0,
    askingOpening: sentences.some(opensLikeQuestion) ? 1 : 0,
    requestCue: REQUEST.test(prose) ? 1 : 0,
    comparisonCue: COMPARISON.test(prose) ? 1 : 0,
    // Members asking about the field use its words ("salary", "pytorch"); chatter uses everyday ones.
    fieldWords: words.length ? words.filter((w) => isDomainWord(w.replace(/[^\p{L}\p{N}]+/gu, ''))).length / words.length : 0,
    codeShare: message.length ? codeChars / message.length : 0,
    wordCount: Math.log1p(words.length),
    sentenceCount: Math.log1p(sentences.length),
    exclamation: /!/.test(prose) ? 1 : 0,
    laughter: LAUGHTER.test(prose) ? 1 : 0,
    addressesSomeone: /^\s*(@\S+|<@!?\d+>)/.test(message) ? 1 : 0,
    firstPersonOpening: FIRST_PERSON_OPENING.test(prose) ? 1 : 0,
    secondPerson: SECOND_PERSON.test(prose) ? 1 : 0,
    link: /https?:\/\//i.test(prose) ? 1 : 0,
    // Word by word, what messages holding its words were: "anyone", "worth", "roadmap" ask; "thanks", "same", "down" do not.
    askingWords: wordsEvidence(messageWords(message), channelWords),
  };
  return CHANNEL_FEATURES.map((name) => features[name]);
}

/** The mean evidence of the words the labelled messages held; 0 when they held none. */
function wordsEvidence(words: readonly string[], channelWords: ChannelWords): number {
  let sum = 0;
  let count = 0;
  for (const word of words) {
    const evidence = Object.hasOwn(channelWords, word) ? channelWords[word] : undefined;
    if (evidence === undefined) continue;
    sum += evidence;
    count++;
  }
  return count ? sum / count : 0;
}
