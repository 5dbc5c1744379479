/** Passages longer than this are split at paragraph boundaries: a passage must read well on its own. */
export const MAX_PASSAGE_CHARS = 700;

export interface FrontMatterBlock {
  yaml: string;
  /** The file line the YAML starts on. */
  yamlLine: number;
  body: string;
  /** The file line the body starts on. */
  bodyLine: number;
}

/** Splits `---` front matter from the body; null when the file does not start with it. */
export function splitFrontMatter(text: string): FrontMatterBlock | { error: string; line: number } {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return { error: 'must start with front matter between "---" lines', line: 1 };
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (end < 0) return { error: 'front matter is not closed with a "---" line', line: 1 };
  return {
    yaml: lines.slice(1, end).join('\n'),
    yamlLine: 2,
    body: lines.slice(end + 1).join('\n'),
    bodyLine: end + 2,
  };
}

export interface Section {
  /** Heading texts below the document title, outermost first; empty for the introduction. */
  headings: string[];
  text: string;
  /** The file line of the heading, or of the first text line for the introduction. */
  line: number;
}

/**
 * Cuts a markdown body into sections at `##`…`######` headings (a `#` line is the document's own title).
 * Headings inside fenced code blocks are text. Sections with no text (a heading directly followed by a
 * sub-heading) only lend their heading to the path, unless `keepEmpty` asks for them too.
 */
export function splitSections(body: string, firstLine: number, { keepEmpty = false } = {}): Section[] {
  const sections: Section[] = [];
  const path: { level: number; text: string }[] = [];
  let current: Section = { headings: [], text: '', line: firstLine };
  let buffer: string[] = [];
  let fence: string | null = null;

  const flush = () => {
    const text = buffer.join('\n').trim();
    if (text || (keepEmpty && current.headings.length)) {
      const leadingBlank = buffer.findIndex((line) => line.trim() !== '');
      sections.push({ ...current, text, line: current.headings.length ? current.line : current.line + leadingBlank });
    }
    buffer = [];
  };

  body.split(/\r?\n/).forEach((line, index) => {
    const fenceMatch = /^\s*(```|~~~)/.exec(line);
    if (fenceMatch) fence = fence === null ? fenceMatch[1]! : fence === fenceMatch[1] ? null : fence;
    const heading = fence === null && !fenceMatch ? /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line) : null;
    if (!heading) {
      buffer.push(line);
      return;
    }
    flush();
    const level = heading[1]!.length;
    if (level === 1) {
      current = { headings: [], text: '', line: firstLine + index + 1 };
      return;
    }
    while (path.length && path[path.length - 1]!.level >= level) path.pop();
    path.push({ level, text: heading[2]! });
    current = { headings: path.map((h) => h.text), text: '', line: firstLine + index };
  });
  flush();
  return sections;
}

/**
 * Splits text longer than `maxChars` into parts at paragraph boundaries, then list items, then sentences,
 * packing as much as fits into each part.
 */
export function chunkText(text: string, maxChars = MAX_PASSAGE_CHARS): string[] {
  if (text.length <= maxChars) return [text];
  const pieces = text.split(/\n\s*\n/).flatMap((paragraph) => splitPiece(paragraph.trim(), maxChars));
  const parts: string[] = [];
  let part = '';
  for (const piece of pieces) {
    const separator = /^\s*([-*+]|\d+\.)\s/.test(piece) && /^\s*([-*+]|\d+\.)\s/m.test(part) ? '\n' : '\n\n';
    if (part && part.length + separator.length + piece.length > maxChars) {
      parts.push(part);
      part = piece;
    } else {
      part = part ? part + separator + piece : piece;
    }
  }
  if (part) parts.push(part);
  return parts;
}

function splitPiece(piece: string, maxChars: number): string[] {
  if (piece.length <= maxChars) return [piece];
  const items = piece.split(/\n(?=\s*(?:[-*+]|\d+\.)\s)/);
  if (items.length > 1) return items.flatMap((item) => splitPiece(item.trim(), maxChars));
  const sentences = piece.match(/[^.!?]+(?:[.!?]+["')\]]*\s*|$)/g) ?? [piece];
  if (sentences.length > 1) return sentences.flatMap((sentence) => splitPiece(sentence.trim(), maxChars));
  const words = piece.split(/\s+/);
  const cut: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > maxChars) {
      cut.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) cut.push(line);
  return cut;
}

const ANNOTATION = /<!--\s*(asked|sources):([\s\S]*?)-->/g;

/** What a section says about itself in HTML comments (never rendered), taken out of its text. */
export interface SectionAnnotations {
  text: string;
  /** The questions the section answers, as members word them. */
  phrasings: string[];
  /** The sources the section's facts come from, when not all of its document's. */
  sourceIds?: string[];
}

/**
 * Takes a section's annotations out of its text: the questions it answers, one per line, and the sources
 * its facts come from:
 *
 *     <!-- asked:
 *     - do i need a masters for mle
 *     - is a degree required to become an ml engineer
 *     -->
 *     <!-- sources: shankar-2024, bls-ooh-2024 -->
 *
 * An `<!--` that is never closed is reported with its line offset within the text.
 */
export function extractAnnotations(text: string): SectionAnnotations | { error: string; lineOffset: number } {
  const unclosed = text.lastIndexOf('<!--');
  if (unclosed >= 0 && !text.includes('-->', unclosed)) {
    return { error: 'has an HTML comment ("<!--") that is never closed', lineOffset: text.slice(0, unclosed).split('\n').length - 1 };
  }
  const phrasings: string[] = [];
  let sourceIds: string[] | undefined;
  const rest = text.replace(ANNOTATION, (_, kind: string, list: string) => {
    const items = list.split(kind === 'asked' ? /\r?\n/ : /[,\s]+/).map((line) => line.replace(/^\s*[-*]\s*/, '').trim()).filter(Boolean);
    if (kind === 'asked') phrasings.push(...items);
    else sourceIds = [...(sourceIds ?? []), ...items];
    return '';
  });
  return { text: rest.replace(/\n{3,}/g, '\n\n').trim(), phrasings, ...(sourceIds ? { sourceIds } : {}) };
}

/** A heading or file name as an id part: "What is data drift?" → "what-is-data-drift". */
export function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[\u2019']/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'section'
  );
}
