/**
 * Shortening text to a limit without splitting a character. Limits here count what JavaScript and TaskRouter count:
 * UTF-16 code units (`string.length`). A character outside the Basic Multilingual Plane (most emoji) takes two, a
 * surrogate pair; cutting between them leaves a lone surrogate, which renders as garbage and which JSON writes as a
 * six-character `\ud83d` escape.
 */

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/** `text` cut to at most `max` UTF-16 code units, never between the two halves of a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  const splitsPair = isHighSurrogate(text.charCodeAt(max - 1)) && isLowSurrogate(text.charCodeAt(max));
  return text.slice(0, splitsPair ? max - 1 : max);
}

/** How many characters `text` takes inside a JSON document: escapes (`\"`, `\n`, `\u0001`…) included, quotes not. */
export function jsonTextLength(text: string): number {
  return JSON.stringify(text).length - 2;
}

/**
 * `text` cut, on a character boundary, so that written in JSON it takes at most `max` characters (see
 * `jsonTextLength`): what a limit on a JSON document such as task attributes leaves room for.
 */
export function truncateJsonText(text: string, max: number): string {
  if (jsonTextLength(text) <= max) return text;
  // Every code unit takes at least one character once escaped, so the answer is at most `max` units long; the
  // escaped length of a prefix cut on character boundaries grows with the prefix, so the longest one that fits is
  // found by bisection, measured by JSON itself.
  let fits = 0;
  let over = Math.min(text.length, Math.max(0, max)) + 1;
  while (over - fits > 1) {
    const middle = (fits + over) >>> 1;
    if (jsonTextLength(truncateText(text, middle)) <= max) fits = middle;
    else over = middle;
  }
  return truncateText(text, fits);
}

/**
 * `object` with the string values of `shrinkable` shortened, in that order and each only as far as needed (on
 * character boundaries), until the object written as JSON takes at most `max` characters. Values not listed are
 * kept whole; when shortening every listed value to nothing is not enough, the result is still longer than `max`.
 */
export function shortenToFit(object: Record<string, unknown>, shrinkable: readonly string[], max: number): Record<string, unknown> {
  const result = { ...object };
  for (const key of shrinkable) {
    const excess = JSON.stringify(result).length - max;
    if (excess <= 0) break;
    const value = result[key];
    if (typeof value !== 'string') continue;
    result[key] = truncateJsonText(value, Math.max(0, jsonTextLength(value) - excess));
  }
  return result;
}
