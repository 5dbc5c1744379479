/**
 * Cutting text that people see. Discord's limits are checked here in UTF-16 code units (what `.length`
 * counts, never fewer than the characters Discord counts), but a cut must not fall inside a character: half
 * a surrogate pair is not valid text, and half an emoji sequence (👩‍💻, 🇮🇳, ✋🏽) shows as another emoji.
 */

let graphemes: Intl.Segmenter | undefined;

/**
 * The longest start of `text` that is at most `maxUnits` code units long and ends between two user-perceived
 * characters (grapheme clusters); empty when the first character alone is longer than that.
 */
export function cutToLength(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  if (maxUnits <= 0) return '';
  // Between two ASCII characters there is always a boundary but inside CR LF: no need for ICU's break rules,
  // whose loading costs a fresh process more milliseconds than its whole first answer otherwise takes.
  const before = text.charCodeAt(maxUnits - 1);
  const after = text.charCodeAt(maxUnits);
  if (before < 0x80 && after < 0x80 && !(before === 0x0d && after === 0x0a)) return text.slice(0, maxUnits);
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return text.slice(0, graphemes.segment(text).containing(maxUnits)!.index);
}

/** Text at most `maxUnits` long: cut (as `cutToLength` cuts) with an ellipsis when it was longer. */
export function shorten(text: string, maxUnits: number): string {
  return text.length <= maxUnits ? text : `${cutToLength(text, maxUnits - 1).trimEnd()}…`;
}
