// Lints for knowledge text that reads well in chat. A reply shows two or three passages, often of one document:
// an abbreviation spelled out again in each of them reads stilted, and so does a passage opening "Yes," when
// the question it answers is a "how" or a "what".
import type { Passage } from './schema.js';

export type StyledPassage = Pick<Passage, 'id' | 'documentId' | 'heading' | 'text'>;

export interface StyleFinding {
  passageId: string;
  message: string;
}

export interface AbbreviationExpansion {
  /** As written in the parentheses: "ML", "R&D". */
  abbreviation: string;
  /** The words it stands for, as written: "machine learning". */
  phrase: string;
}

/** "(ML)", "(SWE)", "(R&D)": two or more capitals; "(146k)", "(junior)" and "(10x)" are not abbreviations. */
const PARENTHESISED_INITIALS = /\(([A-Za-z&]{2,8})\)/g;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}&\u2019'-]*/gu;

/**
 * The abbreviations `text` spells out as a phrase followed by its initials in parentheses. The phrase is the
 * fewest words before the parentheses that start with the abbreviation's first letter and hold its letters in
 * order (Schwartz and Hearst's rule): "software engineer (SWE)", "Amazon Web Services (AWS)".
 */
export function abbreviationExpansions(text: string): AbbreviationExpansion[] {
  const expansions: AbbreviationExpansion[] = [];
  for (const match of text.matchAll(PARENTHESISED_INITIALS)) {
    const abbreviation = match[1]!;
    const letters = abbreviation.toLowerCase().replace(/&/g, '');
    if ((abbreviation.match(/[A-Z]/g) ?? []).length < 2) continue;
    const before = [...text.slice(0, match.index).matchAll(WORD)].map((word) => word[0]).slice(-(letters.length + 3));
    for (let count = 1; count <= before.length; count++) {
      const words = before.slice(-count);
      if (words[0]![0]!.toLowerCase() === letters[0] && isSubsequence(letters, words.join(' ').toLowerCase())) {
        expansions.push({ abbreviation, phrase: words.join(' ') });
        break;
      }
    }
  }
  return expansions;
}

function isSubsequence(letters: string, text: string): boolean {
  let at = 0;
  for (const letter of letters) {
    at = text.indexOf(letter, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** "Do I need a master's…?", "Is ML engineering a good career?": a question a "Yes" or "No" can answer. */
const YES_NO_QUESTION = /^(?:am|are|can|could|did|do|does|had|has|have|is|may|might|must|shall|should|was|were|will|would)\b/i;
/** "Yes.", "No,", "Yes —", "Yes - " opening a passage, after any markdown emphasis. */
const BARE_YES_NO = /^[*_]*(yes|no)[*_]*(?:\s*[.,!;:\u2014\u2013]|\s+-\s|\s*$)/i;

export function isYesNoQuestion(heading: string): boolean {
  return YES_NO_QUESTION.test(heading.trim());
}

/**
 * What reads badly when passages are shown together in chat: an abbreviation a document already spelled out
 * in an earlier passage (or earlier in the same one), and a passage opening with a bare "Yes" or "No" under a
 * heading that is not a yes/no question. Passages are given in document order.
 */
export function styleFindings(passages: readonly StyledPassage[]): StyleFinding[] {
  const findings: StyleFinding[] = [];
  const spelledOut = new Map<string, { passageId: string; phrase: string }>();
  for (const passage of passages) {
    for (const { abbreviation, phrase } of abbreviationExpansions(passage.text)) {
      const key = `${passage.documentId}\n${abbreviation.toUpperCase()}`;
      const first = spelledOut.get(key);
      if (first) {
        const where = first.passageId === passage.id ? 'earlier in this passage' : `in ${first.passageId}`;
        findings.push({ passageId: passage.id, message: `spells out "${phrase} (${abbreviation})" again: the document did so ${where}` });
      } else spelledOut.set(key, { passageId: passage.id, phrase });
    }
    const heading = passage.heading.split(' › ').at(-1) ?? '';
    const opening = BARE_YES_NO.exec(passage.text.trim());
    if (opening && !isYesNoQuestion(heading)) {
      findings.push({ passageId: passage.id, message: `opens with a bare "${opening[1]}" but its heading "${heading}" is not a yes/no question` });
    }
  }
  return findings;
}
