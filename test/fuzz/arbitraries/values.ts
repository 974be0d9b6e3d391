import fc from 'fast-check';
import type { Handle, HandleKind, Value } from '../request-model.js';

/** Building blocks: odd text, numbers in and out of range, handles, URLs that only ever point at loopback. */

const SID_KINDS: HandleKind[] = ['WS', 'WA', 'WQ', 'WK', 'TC', 'WW', 'WT', 'WR', 'EV', 'WC', 'PN', 'IM', 'CH', 'CA', 'SM', 'AC'];

/** A record that exists (usually of the kind asked for), a well-formed SID of nothing, or a malformed SID. */
export function handle(kind: HandleKind): fc.Arbitrary<Handle> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.nat(50).map((pick): Handle => ({ use: 'known', kind, pick })) },
    { weight: 1, arbitrary: fc.constantFrom(...SID_KINDS).chain((other) => fc.nat(50).map((pick): Handle => ({ use: 'known', kind: other, pick }))) },
    { weight: 2, arbitrary: fc.constantFrom<HandleKind>(kind, ...SID_KINDS).map((k): Handle => ({ use: 'fresh', kind: k })) },
    { weight: 2, arbitrary: malformedSid(kind).map((text): Handle => ({ use: 'text', text })) },
  );
}

/** SIDs that are nearly right: wrong length, case, prefix, characters; and things that are not SIDs at all. */
export function malformedSid(kind: HandleKind): fc.Arbitrary<string> {
  const prefix = kind.length === 2 ? kind : 'WS';
  return fc.oneof(
    fc.stringMatching(/^[0-9a-f]{0,40}$/).map((hex) => prefix + hex),
    fc.stringMatching(/^[0-9A-F]{32}$/).map((hex) => prefix.toLowerCase() + hex),
    fc.tuple(fc.stringMatching(/^[0-9a-f]{32}$/), fc.constantFrom('x', ' ', '%20', '..', '\u00e9')).map(([hex, tail]) => prefix + hex + tail),
    fc.constantFrom('', '.', '..', 'null', 'undefined', '0', '-1', '__proto__', 'constructor', 'prototype', 'Statistics', 'RealTimeStatistics'),
    oddText(40),
  );
}

/** Text with the characters parsers stumble on: control characters, quotes, percent signs, unicode, lone surrogates. */
export function oddText(maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({
      unit: fc.constantFrom(
        '\u0000',
        '\u0001',
        '\u001f',
        '\u007f',
        '\r',
        '\n',
        '\t',
        '%',
        '&',
        '=',
        '+',
        '[',
        ']',
        '{',
        '}',
        '"',
        "'",
        '\\',
        '/',
        '?',
        '#',
        '\ud800',
        '\udfff',
        '\u2028',
        '\ufeff',
        '\u00e9',
        '😀',
      ),
      maxLength,
    }),
  );
}

/** Text from empty to very long, in the shapes above; long values reach the size limits of every parser. */
export function anyText(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 25, arbitrary: oddText(30) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', 'é', '\u0000', '😀', '{'), fc.integer({ min: 1_000, max: 20_000 })).map(([c, n]) => c.repeat(n)) },
  );
}

/** Integers as text: in range, at the edges of 32 and 53 bits, negative, fractional, exponent and padded forms. */
export function numberText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.integer({ min: -5, max: 200 }).map(String),
    fc.constantFrom(
      '0',
      '-0',
      '1',
      '-1',
      '2147483647',
      '2147483648',
      '-2147483649',
      '9007199254740991',
      '9007199254740993',
      '99999999999999999999999',
      '1e3',
      '1e309',
      '0x10',
      '1.5',
      ' 5 ',
      '+5',
      'NaN',
      'Infinity',
      '',
      ' ',
      '٣',
      '5\u0000',
    ),
  );
}

/** Booleans as text: the accepted words and near misses. */
export function boolText(): fc.Arbitrary<string> {
  return fc.constantFrom('true', 'false', 'True', 'FALSE', '1', '0', 'yes', 'no', 'on', '', 'truee', ' true ');
}

/** Dates: ISO forms TaskRouter accepts, and ones it must refuse. */
export function dateText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.date({ min: new Date(-62_000_000_000_000), max: new Date(253_402_300_000_000), noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom(
      '2024-02-30',
      '2024-13-01T00:00:00Z',
      '0000-01-01',
      '9999-12-31T23:59:59.999999999+14:00',
      '2024-01-01T25:61:61Z',
      '2024-01-01 10:00',
      '1970-01-01T00:00:00-00:00',
      'yesterday',
      '',
      '2024',
      '+275760-09-13T00:00:00Z',
      '-000001-01-01T00:00:00Z',
    ),
  );
}

/** JSON object text for `Attributes`: small objects, prototype keys, deep nesting, sizes around the 4096 limit. */
export function attributesText(): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .dictionary(
          fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'skills', 'language', 'priority')),
          fc.jsonValue({ maxDepth: 3 }),
          { maxKeys: 6 },
        )
        .map((o) => JSON.stringify(o)),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) },
    { weight: 1, arbitrary: fc.integer({ min: 4_080, max: 4_110 }).map((size) => JSON.stringify({ pad: 'x'.repeat(Math.max(0, size - 10)) })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}', '[]', 'null', '"x"', '{', '{"a":1}garbage', ''),
    },
    { weight: 1, arbitrary: anyText() },
  );
}

/**
 * URLs for callback parameters. Only loopback (on a port nothing listens on) or text no URL parser accepts: a server
 * that accepts one must never be given an address elsewhere to call.
 */
export function callbackUrlText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      'http://127.0.0.1:9/callback',
      'http://localhost:9/x',
      'http://[::1]:9/x',
      'https://127.0.0.1:9/x?a=b#c',
      'ftp://127.0.0.1/x',
      'javascript:alert(1)',
      'http://',
      'http://[',
      '//127.0.0.1/x',
      'not a url',
      '',
      ' ',
      'http://127.0.0.1:99999/x',
      'http://user:pass@127.0.0.1:9/x',
      'file:///etc/passwd',
      'http://127.0.0.1:9/' + 'a'.repeat(5000),
    ),
    oddText(20),
  );
}

/** A workflow `Configuration`: valid documents naming known or unknown queues, and broken ones. */
export function configurationText(): fc.Arbitrary<Value> {
  const queue = handle('WQ');
  const target = fc.record({
    queue,
    priority: fc.oneof(fc.integer({ min: -2, max: 3_000_000_000 }), fc.constant('5')),
    timeout: fc.option(fc.integer({ min: -1, max: 100 }), { nil: undefined }),
    expression: fc.option(expressionLike(), { nil: undefined }),
  });
  const valid = fc.record({
    filters: fc.array(
      fc.record({ filter_friendly_name: fc.string({ maxLength: 10 }), expression: expressionLike(), targets: fc.array(target, { maxLength: 3 }) }),
      { maxLength: 3 },
    ),
    default: fc.option(queue, { nil: undefined }),
  });
  return fc.oneof(
    {
      weight: 3,
      arbitrary: valid.map((c): Value => ({
        use: 'json',
        value: { task_routing: { filters: c.filters, ...(c.default ? { default_filter: { queue: c.default } } : {}) } },
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{}',
        '{"task_routing":null}',
        '{"task_routing":{"filters":{}}}',
        '['.repeat(10_000),
        '{"task_routing":{"filters":[{"expression":"((((","targets":[]}]}}',
      ),
    },
    { weight: 1, arbitrary: anyText() },
  );
}

/** Expression text in the TaskRouter language: usually well formed, sometimes not. */
export function expressionLike(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '1==1',
      "skills HAS 'support'",
      'language IN ["en","es"]',
      'priority > 5 AND task.x != null',
      'task.a[0] CONTAINS "b"',
      "worker.level >= 3 OR (a == 'x')",
    ),
    fc.constantFrom(
      '(',
      ')',
      '1 ==',
      'a b c',
      '"unterminated',
      '((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1==1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))',
      'a'.repeat(17_000),
      '1==1 AND '.repeat(2_000) + '1==1',
    ),
    oddText(20),
  );
}
