import { describe, expect, it } from 'vitest';
import { jsonTextLength, shortenToFit, truncateJsonText, truncateText } from '../../src/core/text-limits.js';

/** A character outside the Basic Multilingual Plane: two UTF-16 code units. */
const EMOJI = '\u{1F600}';
const LONE_SURROGATE = /\p{Cs}/u;

/** Text mixing what JSON escapes, pairs, lone surrogates and plain letters, from a seeded generator. */
function mixedText(seed: number, length: number): string {
  const pieces = ['a', 'é', EMOJI, '"', '\\', '\n', '\u0001', '\u2028', '\ud800', '\udfff', 'z'];
  let state = seed;
  let text = '';
  while (text.length < length) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    text += pieces[state % pieces.length];
  }
  return text;
}

/** The code points of `text`, lone surrogates included, as JavaScript iterates them. */
const codePoints = (text: string): string[] => [...text];

describe('code-point-safe truncation', () => {
  it('cuts to a number of code units, stepping back rather than splitting a pair', () => {
    expect(truncateText('abc', 5)).toBe('abc');
    expect(truncateText('abc', 2)).toBe('ab');
    expect(truncateText('abc', 0)).toBe('');
    expect(truncateText(`a${EMOJI}b`, 2)).toBe('a');
    expect(truncateText(`a${EMOJI}b`, 3)).toBe(`a${EMOJI}`);
    // A lone surrogate already in the text is a character of its own.
    expect(truncateText('a\ud800b', 2)).toBe('a\ud800');
  });

  it('cuts to a length of JSON text: the longest whole-character prefix whose escapes fit', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const text = mixedText(seed, 80);
      const max = seed % 90;
      const cut = truncateJsonText(text, max);
      expect(text.startsWith(cut)).toBe(true);
      expect(jsonTextLength(cut)).toBeLessThanOrEqual(max);
      const points = codePoints(text);
      const kept = codePoints(cut).length;
      // Whole characters only: the cut ends where one of the text's characters ends.
      expect(points.slice(0, kept).join('')).toBe(cut);
      // And the next character would not have fitted.
      if (kept < points.length) expect(jsonTextLength(points.slice(0, kept + 1).join(''))).toBeGreaterThan(max);
    }
    expect(truncateJsonText(`${EMOJI}${EMOJI}`, 3)).toBe(EMOJI);
    expect(truncateJsonText('\u0001abc', 5)).toBe('');
    expect(truncateJsonText('\u0001abc', 6)).toBe('\u0001');
  });

  it('shortens the listed values, in order and only as far as needed, until the object fits', () => {
    const object = { id: 'keep me whole', first: 'x'.repeat(50), second: `${'y'.repeat(29)}${EMOJI}`, count: 3 };
    const length = (o: unknown) => JSON.stringify(o).length;
    const fitted = shortenToFit(object, ['first', 'second'], length(object) - 51);
    expect(length(fitted)).toBeLessThanOrEqual(length(object) - 51);
    expect(fitted).toMatchObject({ id: 'keep me whole', first: '', count: 3 });
    // One code unit more to shed: the emoji goes whole rather than split.
    expect(fitted.second).toBe('y'.repeat(29));
    expect(fitted.second).not.toMatch(LONE_SURROGATE);
    expect(shortenToFit(object, ['first'], length(object))).toEqual(object);
    // Not enough to shorten: the result says so by its length.
    expect(length(shortenToFit(object, ['first'], 10))).toBeGreaterThan(10);
  });
});
