import type { Word } from './terms.js';

/**
 * Country and continent names, from the runtime's own ICU data (no list to maintain), plus the everyday
 * short forms. A salary question about a place the knowledge base never mentions must not be answered
 * with another country's figures. Listed on first use (ICU's region data takes some 25 ms to load: not worth a
 * start-up), or taken from a saved index.
 */
let placeNames: string[] | undefined;
let placeNeedles: string[] | undefined;

/** The place names, for saving alongside an index. */
export function placeNameList(): string[] {
  return (placeNames ??= listPlaceNames());
}

/** Uses place names saved from `placeNameList` by a runtime with the same ICU data, instead of listing them. */
export function usePlaceNames(saved: readonly string[]): void {
  placeNames ??= [...saved];
}

function listPlaceNames(): string[] {
  const regions = new Intl.DisplayNames(['en'], { type: 'region' });
  const names = new Set(['usa', 'us', 'uk', 'uae', 'europe', 'asia', 'africa', 'latin america', 'south america', 'north america', 'middle east', 'the states']);
  for (let first = 65; first <= 90; first++) {
    for (let second = 65; second <= 90; second++) {
      const code = String.fromCharCode(first, second);
      const name = regions.of(code);
      if (name && name !== code && !/unknown/i.test(name)) names.add(normalise(name));
    }
  }
  return [...names].sort((a, b) => b.split(' ').length - a.split(' ').length);
}

function normalise(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The places named in a question ("in germany", "the United States"), as lower-case names. */
export function findPlaces(words: readonly Word[]): string[] {
  const text = ` ${words.map((w) => w.word).join(' ')} `;
  const names = placeNameList();
  // Each name as a whole word, spaced, made once: every question looks for all of them.
  const needles = (placeNeedles ??= names.map((name) => ` ${name} `));
  const found: string[] = [];
  let rest = text;
  for (let k = 0; k < names.length; k++) {
    const name = names[k]!;
    const needle = needles[k]!;
    if (!rest.includes(needle)) continue;
    if (name === 'us' && !words.some((w, i) => w.word === 'us' && (w.surface === 'US' || ['the', 'in'].includes(words[i - 1]?.word ?? '')))) continue;
    found.push(name);
    rest = rest.split(needle).join(' ');
  }
  return found;
}
