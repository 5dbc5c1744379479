import { englishRank } from '../search/englishWords.js';
import { STOP_WORDS } from '../search/lexicon.js';
import { toWords, type Word } from '../search/terms.js';

// What a question's words say beyond matching passages: how much each word matters, whether it belongs to the
// field, whether it names a subject (a job, a place) that a passage must also be about. These are inputs of
// the learned decision (see decision.ts), not rules: the model weighs them from labelled questions.

/** Rank in everyday English above which a word belongs to the field ("salary", "model") rather than to chat. */
const EVERYDAY_RANK = 1000;
/** Rank from which an unknown word is as telling as the rarest word of the knowledge base ("cuda", "gini"). */
const RARE_RANK = 30_000;

/** 0 for the commonest words of spoken English, rising to 1 for rare words and words it lacks ("pytorch"). */
export function rarity(phrase: string): number {
  const rank = Math.max(
    ...phrase
      .toLowerCase()
      .split(/\s+/)
      .map((word) => (/^\d+$/.test(word) ? 1 : (englishRank(word) ?? RARE_RANK))),
  );
  const scaled = (Math.log10(Math.max(rank, EVERYDAY_RANK)) - Math.log10(EVERYDAY_RANK)) / (Math.log10(RARE_RANK) - Math.log10(EVERYDAY_RANK));
  return Math.min(1, scaled);
}

/**
 * What a question word weighs. A word the knowledge base uses weighs its rarity there (its idf); a word it
 * never uses weighs like its rarest word. Either way an everyday word weighs less: members pad questions with
 * them ("hate", "look like"), while a rare word the knowledge base lacks ("cuda", "backprop") names a subject it
 * does not cover. An `incidental` word (context, such as where the member lives) weighs like the most everyday one.
 */
export function questionWordWeight(surface: string, knowledgeIdf: number | undefined, rarestIdf: number, incidental = false): number {
  const r = incidental ? 0 : rarity(surface);
  return knowledgeIdf === undefined ? rarestIdf * Math.max(0.15, r) : knowledgeIdf * (0.35 + 0.65 * r);
}

/** A word of the field rather than of everyday talk: outside the commonest words of spoken English. */
export function isDomainWord(phrase: string): boolean {
  return phrase
    .toLowerCase()
    .split(/\s+/)
    .some((word) => (englishRank(word) ?? Infinity) > EVERYDAY_RANK);
}

const SMALL_TALK = new RegExp(
  [
    /^(hi|hello|hey|yo|sup|good (morning|evening|night))\b[\s!.?]*$/,
    // "how are you", "how's ur day going lol"; but not "how are you supposed to learn maths for ML".
    /\bhow('?s| is| are| r) (it going|things|life|you|u|ur|your)\b.{0,20}$/,
    /\bwhat'?s up\b[\s!.?]*$/,
    /\b(who|what) (are|made|built) (you|u)\b/,
    /\bare (you|u) (a bot|real|human|alive|sentient|ok)\b/,
    /^(thanks|thank you|thx|ty)\b/,
  ]
    .map((pattern) => pattern.source)
    .join('|'),
  'i',
);

/** Greetings and questions about the bot itself, which the knowledge base is not about. */
export function isSmallTalk(question: string): boolean {
  return SMALL_TALK.test(question);
}

/** English head nouns of job titles: "data engineer", "research scientist", "product manager". */
const JOB_HEADS = new Set(
  'engineer engineers scientist scientists analyst analysts developer developers researcher researchers manager managers architect architects designer designers consultant consultants specialist specialists administrator administrators technician technicians'.split(
    ' ',
  ),
);

const PAY_WORDS = new Set(['salary', 'salaries', 'pay', 'wage', 'wages', 'earnings']);

export interface Vocabulary {
  /** Whether words name one of the knowledge base's roles ("machine learning engineer", "swe"). */
  isRole(phrase: string): boolean;
  /** Whether the knowledge base uses the word. */
  isKnown(word: string): boolean;
}

/**
 * Jobs a question names that are not the knowledge base's roles, as the member wrote them ("data engineer",
 * "nurse"): a modifier and a job head noun ("data engineer", not "machine learning engineer"), or a word the
 * knowledge base never uses after "become a" / "work as a", before "salary", or as who "how much does … make".
 * Whether a passage is about that job is for the decision to weigh (`mentionsPhrase`).
 */
export function namedJobs(words: readonly Word[], vocabulary: Vocabulary): string[] {
  const text = words.map((w) => w.word);
  const jobs = new Set<string>();
  const endsInRole = (end: number) => [1, 2, 3].some((n) => end - n + 1 >= 0 && vocabulary.isRole(text.slice(end - n + 1, end + 1).join(' ')));
  const unknownJob = (phrase: string[]) => phrase.length > 0 && phrase.some((w) => !vocabulary.isKnown(w)) && !vocabulary.isRole(phrase.join(' '));
  const earner = / (?:how much|what) (?:do|does|did) (?:an? |the )?((?:\S+ ){1,2})(?:make|makes|earn|earns|get paid)\b/.exec(` ${text.join(' ')} `);
  if (earner && unknownJob(earner[1]!.trim().split(' '))) jobs.add(earner[1]!.trim());
  for (let i = 0; i < text.length; i++) {
    const word = text[i]!;
    const previous = text[i - 1];
    if (JOB_HEADS.has(word) && previous && !STOP_WORDS.has(previous) && !endsInRole(i)) jobs.add(`${previous} ${word}`);
    const article = text[i + 1] === 'a' || text[i + 1] === 'an' ? i + 2 : -1;
    if (article > 0 && text[article] && (word === 'become' || (word === 'as' && previous === 'work')) && unknownJob([text[article]!])) jobs.add(text[article]!);
    if (PAY_WORDS.has(word) && previous && !STOP_WORDS.has(previous) && unknownJob([previous])) jobs.add(previous);
    // "pay for truck drivers", "salary of a nurse": the job follows the pay word.
    if (PAY_WORDS.has(word) && (text[i + 1] === 'for' || text[i + 1] === 'of')) {
      const start = ['a', 'an', 'the'].includes(text[i + 2] ?? '') ? i + 3 : i + 2;
      const phrase = text.slice(start, start + 2).filter((w, k) => k === 0 || !STOP_WORDS.has(w));
      const job = phrase.length === 2 && STOP_WORDS.has(phrase[1]!) ? phrase.slice(0, 1) : phrase;
      if (unknownJob(job) && !endsInRole(start + job.length - 1)) jobs.add(job.join(' '));
    }
  }
  return [...jobs];
}

/** Whether a text holds a phrase as whole words, ignoring case and a plural "s" ("data engineers"). */
export function mentionsPhrase(textWords: ReadonlySet<string>, phrase: string, bigrams: ReadonlySet<string>): boolean {
  const words = phrase.split(' ').map(singular);
  if (words.length === 1) return textWords.has(words[0]!);
  return bigrams.has(words.join(' '));
}

/** Words and adjacent pairs of a text, singular, for `mentionsPhrase`. */
export function wordSets(text: string): { words: Set<string>; bigrams: Set<string> } {
  const words = toWords(text).map((w) => singular(w.word));
  return { words: new Set(words), bigrams: new Set(words.slice(1).map((w, i) => `${words[i]} ${w}`)) };
}

const singular = (word: string) => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word);

const QUESTION_OPENING =
  /^(what|whats|which|how|hows|why|when|where|who|whom|whose|should|shall|do|does|did|is|isnt|are|arent|can|could|would|will|any|anyone|anybody|has|have|need|recommend|wondering|advice)\b/i;

export function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\s*\n\s*/).map((s) => s.trim()).filter(Boolean);
}

/**
 * "what…", "should I…", "any advice…": a sentence that opens the way questions do, mark or no mark, also after
 * a lead-in clause ("hey, which tools…", "as a DA, should I…").
 */
export function opensLikeQuestion(sentence: string): boolean {
  return sentence.split(/[,:;]\s+/).some((clause) => QUESTION_OPENING.test(clause.replace(/['\u2019]/g, '').replace(/^[^\p{L}]+/u, '')));
}

/**
 * The sentences of a message that ask something (a question mark, or opening like a question); the whole
 * message when none does. A question after a backstory is judged on what it asks, not on the story.
 */
export function askingSentences(text: string): string {
  const asking = sentencesOf(text).filter((s) => s.includes('?') || opensLikeQuestion(s));
  return asking.length ? asking.join(' ') : text;
}
