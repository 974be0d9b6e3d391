import fc from 'fast-check';
import type { AbstractRequest, BodySpec, SignatureSpec, Value } from '../request-model.js';
import { absoluteForm, contentType, extraHeaders, method } from './routes.js';
import { anyText, handle, oddText } from './values.js';

/**
 * Twilio's webhooks under `/webhooks/...`: unsigned, wrongly signed, and validly signed with random parameters and
 * call-flow state in the query, so the handlers behind the signature check are exercised too.
 */

const VOICE_PATHS = [
  'voice',
  'voice/menu',
  'voice/hold',
  'voice/queue-result',
  'voice/voicemail',
  'voice/agent',
  'voice/agent-status',
  'voice/agent-dial',
  'voice/conference-caller',
  'voice/browser-agent',
  'voice/browser-agent-end',
  'voice/status',
  'sms',
  'sms/status',
  'media',
  'nowhere',
];

const word = (...words: string[]) => fc.constantFrom(...words);

/** Twilio's request parameters, with values of their kind and any text. */
const TWILIO_PARAMS: Record<string, fc.Arbitrary<Value>> = {
  AccountSid: handle('AC'),
  CallSid: handle('CA'),
  MessageSid: handle('SM'),
  SmsSid: handle('SM'),
  From: fc.oneof(word('+14155550100', '+14155550101', 'whatsapp:+14155550102', 'client:alice', 'anonymous', ''), handle('E164')),
  To: fc.oneof(handle('E164'), word('+15550000000', 'client:alice', '')),
  Caller: handle('E164'),
  Called: handle('E164'),
  Direction: word('inbound', 'outbound-api', 'outbound-dial'),
  CallStatus: word('ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled', 'queued'),
  DialCallStatus: word('completed', 'busy', 'no-answer', 'failed', 'canceled'),
  QueueResult: word('bridged', 'hangup', 'leave', 'error', 'system-error', 'redirected', 'queue-full'),
  QueueTime: word('0', '12', '-1', 'x'),
  Digits: fc.oneof(word('1', '2', '#', '*', '', '99999999999', 'timeout'), oddText(6)),
  SpeechResult: fc.oneof(word('sales', 'support', 'Sales please'), anyText()),
  Confidence: word('0.9', '2', 'NaN'),
  Body: anyText(),
  NumMedia: word('0', '1', '10', '-1', 'x'),
  MediaUrl0: word('http://127.0.0.1:9/m.jpg', 'not a url'),
  MessageStatus: word('queued', 'sent', 'delivered', 'undelivered', 'failed', 'read'),
  ErrorCode: word('30003', 'x'),
  RecordingUrl: word('http://127.0.0.1:9/rec', ''),
  RecordingDuration: word('5', '-1', '9999999999'),
  FromCity: anyText(),
  FromCountry: word('US', ''),
  ApiVersion: word('2010-04-01'),
  StreamSid: word('MZ00000000000000000000000000000000'),
};

const PARAM_NAMES = Object.keys(TWILIO_PARAMS);

/** Call-flow state our own webhook URLs carry in their query. */
const STATE: Record<string, fc.Arbitrary<Value>> = {
  number: handle('PN'),
  menu: handle('IM'),
  attempt: word('0', '1', '2', '99', '-1', 'x', '1e3'),
  answers: fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
    word('', '!!', 'e30'),
  ),
  ws: handle('WS'),
  task: handle('WT'),
  reservation: handle('WR'),
  mode: word('dequeue', 'call', 'conference', 'x'),
  post: handle('WA'),
  conference: word('CF00000000000000000000000000000000', 'x'),
  announced: word('0', '1', 'x'),
  conversation: handle('CH'),
};

const STATE_NAMES = Object.keys(STATE);

const params = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...PARAM_NAMES).chain((n) => TWILIO_PARAMS[n]!.map((v): [string, Value] => [n, v])) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('__proto__', 'constructor', 'a[b]', 'Digits', ''), anyText()) },
  ),
  { maxLength: 10 },
);

/** A webhook request: usually a signed form POST with Twilio's parameters; sometimes anything else. */
export const webhookRequest: fc.Arbitrary<AbstractRequest> = fc.record({
  surface: fc.constant('webhook' as const),
  method: fc.oneof({ weight: 8, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: method }),
  path: fc.constantFrom(...VOICE_PATHS).map((p) => ['webhooks', ...p.split('/')]),
  pathSuffix: fc.oneof({ weight: 10, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('/', '/x', '%2F', '//') }),
  query: fc.array(
    fc.constantFrom(...STATE_NAMES).chain((n) => STATE[n]!.map((v): [string, Value] => [n, v])),
    { maxLength: 5 },
  ),
  auth: fc.constant({ kind: 'none' as const }),
  headers: fc.oneof({ weight: 4, arbitrary: fc.constant<Array<[string, string]>>([]) }, { weight: 1, arbitrary: extraHeaders }),
  body: fc.oneof(
    { weight: 8, arbitrary: params.map((p): BodySpec => ({ encoding: 'form', params: p, contentType: 'application/x-www-form-urlencoded' })) },
    { weight: 1, arbitrary: fc.tuple(params, contentType).map(([p, type]): BodySpec => ({ encoding: 'form', params: p, contentType: type })) },
    { weight: 1, arbitrary: params.map((p): BodySpec => ({ encoding: 'json', value: Object.fromEntries(p), contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.constant<BodySpec>({ encoding: 'none' }) },
  ),
  signature: fc.oneof({ weight: 6, arbitrary: fc.constant<SignatureSpec>('valid') }, { weight: 1, arbitrary: fc.constantFrom<SignatureSpec>('wrong', 'none') }),
  absoluteForm,
});
