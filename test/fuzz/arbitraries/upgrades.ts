import fc from 'fast-check';
import type { Handle } from '../request-model.js';
import { handle, oddText } from './values.js';

/**
 * WebSocket upgrades as raw bytes on a socket: odd request targets (absolute form, `*`, malformed escapes), keys and
 * versions right and wrong, credentials and signatures, and clients that reset the connection at any moment.
 */

/** How the client ends the exchange. */
export type Ending =
  /** Reads the answer to the end (or a while), then closes. */
  | 'read'
  /** Resets (TCP RST) right after sending the request. */
  | 'reset-after-send'
  /** Sends half of the request, then resets. */
  | 'reset-mid-request'
  /** Resets as soon as the first byte of the answer arrives. */
  | 'reset-on-answer'
  /** Ends its side after sending and reads what comes. */
  | 'half-close';

/** Where the upgrade goes; the query may name records. */
export interface UpgradeTarget {
  /** Text before the path: '' (origin form), `self` (this server's origin) or other text (odd absolute forms). */
  origin: string;
  path: string;
  query: Array<[string, string | Handle]>;
}

export interface UpgradeScript {
  method: string;
  target: UpgradeTarget;
  version: string;
  headers: Array<[string, string]>;
  /** Put good Basic credentials in. */
  goodAuth: boolean;
  /** Sign the upgrade as Twilio would (`valid`), wrongly, or not at all. */
  signature: 'valid' | 'wrong' | 'none';
  /** A WebSocket frame (any bytes) sent right after the request. */
  trailing: string;
  ending: Ending;
}

const PATHS = [
  '/webhooks/media',
  '/v1/Connector/Listen',
  '/v1/Connector/AgentAudio',
  '/webhooks/media/',
  '/prefix/webhooks/media',
  '//webhooks/media',
  '/webhooks/media%2F',
  '/%ZZ/webhooks/media',
  '/',
  '/x',
  '/v1/Workspaces',
  '/healthz',
  '*',
  '',
  '/webhooks/media?' + 'a'.repeat(9_000),
];

const query = fc.array(
  fc.oneof(
    fc.constantFrom('TaskSid', 'WorkspaceSid').chain((n) => handle(n === 'TaskSid' ? 'WT' : 'WS').map((h): [string, string | Handle] => [n, h])),
    fc.tuple(fc.constant('Identity'), fc.oneof(fc.constantFrom('alice', 'bob_1', 'a.b@c-d', ''), oddText(10))),
    fc.tuple(fc.constant('Token'), fc.oneof(fc.constantFrom('', 'x', 'e30.e30', 'a.b.c'), oddText(40))),
  ),
  { maxLength: 3 },
);

const target: fc.Arbitrary<UpgradeTarget> = fc.record({
  origin: fc.oneof(
    { weight: 8, arbitrary: fc.constant('') },
    { weight: 2, arbitrary: fc.constantFrom('self', 'http://[::1', 'http://x:99999', 'ws://127.0.0.1', 'http://@', 'http://%zz', 'foo:', 'http://a b') },
  ),
  path: fc.constantFrom(...PATHS),
  query,
});

const key = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64')) },
  { weight: 1, arbitrary: fc.constantFrom('', 'x', '====', 'AAAAAAAAAAAAAAAAAAAAAA', 'dGhlIHNhbXBsZSBub25jZQ==, dGhlIHNhbXBsZSBub25jZQ==') },
);

const headers: fc.Arbitrary<Array<[string, string]>> = fc
  .record({
    host: fc.constantFrom<string | null>('self', 'self', null, '', '[::1', 'a'.repeat(300)),
    upgrade: fc.constantFrom<string | null>('websocket', 'websocket', 'WebSocket', 'h2c', '', null, 'websocket, foo'),
    connection: fc.constantFrom<string | null>('Upgrade', 'Upgrade', 'keep-alive, Upgrade', 'close', null, 'upgrade'),
    key: fc.option(key, { nil: null, freq: 8 }),
    version: fc.constantFrom<string | null>('13', '13', '8', '', 'x', null, '13, 8'),
    extensions: fc.constantFrom<string | null>(null, null, 'permessage-deflate', 'permessage-deflate; client_max_window_bits=99', 'x;;;'),
    protocol: fc.constantFrom<string | null>(null, null, 'audio', ',,,'),
    auth: fc.constantFrom<string | null>(null, null, 'Basic', 'Basic Og==', 'Bearer x', 'Basic ' + 'A'.repeat(200)),
    extra: fc.array(fc.tuple(fc.constantFrom('X-Forwarded-For', 'Origin', 'X-Odd'), fc.constantFrom('1', '0', 'http://127.0.0.1', '', '\u00ff')), {
      maxLength: 2,
    }),
  })
  .map((h) => {
    const out: Array<[string, string]> = [];
    if (h.host !== null) out.push(['Host', h.host]);
    if (h.upgrade !== null) out.push(['Upgrade', h.upgrade]);
    if (h.connection !== null) out.push(['Connection', h.connection]);
    if (h.key !== null) out.push(['Sec-WebSocket-Key', h.key]);
    if (h.version !== null) out.push(['Sec-WebSocket-Version', h.version]);
    if (h.extensions !== null) out.push(['Sec-WebSocket-Extensions', h.extensions]);
    if (h.protocol !== null) out.push(['Sec-WebSocket-Protocol', h.protocol]);
    if (h.auth !== null) out.push(['Authorization', h.auth]);
    out.push(...h.extra);
    return out;
  });

export const upgradeScript: fc.Arbitrary<UpgradeScript> = fc.record({
  method: fc.oneof({ weight: 8, arbitrary: fc.constant('GET') }, { weight: 1, arbitrary: fc.constantFrom('POST', 'CONNECT', 'OPTIONS', 'get', 'G\u00c9T') }),
  target,
  version: fc.oneof(
    { weight: 8, arbitrary: fc.constant('HTTP/1.1') },
    { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTX/1.1', '') },
  ),
  headers,
  goodAuth: fc.boolean(),
  signature: fc.constantFrom('valid', 'wrong', 'none'),
  trailing: fc.oneof(
    { weight: 4, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom('\u0081\u0080\u0000\u0000\u0000\u0000', '\u0088\u0080abcd', 'not a frame', '\u0081\u00ff' + 'x'.repeat(20)) },
  ),
  ending: fc.constantFrom<Ending>('read', 'read', 'reset-after-send', 'reset-mid-request', 'reset-on-answer', 'half-close'),
});
