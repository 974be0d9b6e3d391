import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { parseTwiml, TwimlError } from './index.js';

const { VoiceResponse, MessagingResponse } = twilio.twiml;

function problemsOf(xml: string, kind: Parameters<typeof parseTwiml>[1] = { kind: 'voice' }): TwimlError {
  try {
    parseTwiml(xml, kind);
  } catch (err) {
    if (err instanceof TwimlError) return err;
    throw err;
  }
  throw new Error('expected the document to be rejected');
}

describe('TwiML parser', () => {
  it('accepts what twilio-node builders emit', () => {
    const r = new VoiceResponse();
    const g = r.gather({ input: ['dtmf', 'speech'], numDigits: 1, action: '/ivr/menu', method: 'POST', timeout: 5 });
    g.say({ voice: 'Polly.Joanna', language: 'en-US' }, 'Press 1 for sales');
    r.enqueue({ action: '/done', waitUrl: '/hold', waitUrlMethod: 'POST', maxQueueSize: 10 }, 'support');
    const d = r.dial({ callerId: '+15550001111', timeout: 20, action: '/dial-done', answerOnBridge: true });
    d.client({ statusCallback: '/cs', statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'] }, 'alice');
    d.number({ url: '/whisper' }, '+15551234567');
    d.sip('sip:alice@example.com');
    r.dial().queue({ url: '/about-to-connect' }, 'support');
    r.dial().conference({ startConferenceOnEnter: true, endConferenceOnExit: true, waitUrl: '' }, 'room-1');
    r.connect({ action: '/stream-ended' }).stream({ url: 'wss://example.com/media' }).parameter({ name: 'a', value: 'b' });
    r.start().stream({ name: 'rec1', url: 'wss://example.com/listen', track: 'both_tracks' });
    r.stop().stream({ name: 'rec1' });
    r.play({ loop: 0 }, 'https://x/hold.mp3');
    r.pause({ length: 2 });
    r.redirect({ method: 'GET' }, '/next');
    r.hangup();
    const doc = parseTwiml(r.toString(), { kind: 'voice' });
    expect(doc.verbs.map((v) => v.name)).toEqual([
      'Gather',
      'Enqueue',
      'Dial',
      'Dial',
      'Dial',
      'Connect',
      'Start',
      'Stop',
      'Play',
      'Pause',
      'Redirect',
      'Hangup',
    ]);
    expect(doc.verbs[0]!.children[0]!.text).toBe('Press 1 for sales');
    expect(doc.verbs[0]!.attributes.input).toBe('dtmf speech');

    const m = new MessagingResponse();
    m.message({ to: '+1555', from: '+1666', action: '/sms-status' }, 'Thanks!');
    m.message('With media').media('https://x/a.png');
    m.redirect('/next');
    expect(parseTwiml(m.toString(), { kind: 'messaging' }).verbs.map((v) => v.name)).toEqual(['Message', 'Message', 'Redirect']);
  });

  it('decodes entities, CDATA and character references', () => {
    const doc = parseTwiml('<?xml version="1.0" encoding="UTF-8"?><!-- hi --><Response><Say>Tom &amp; Jerry &#x263A; <![CDATA[<b>]]></Say></Response>', {
      kind: 'voice',
    });
    expect(doc.verbs[0]!.text).toBe('Tom & Jerry \u263A <b>');
  });

  it.each([
    ['mismatched tags', '<Response><Say>hi</Play></Response>'],
    ['unclosed element', '<Response><Say>hi</Say>'],
    ['bare ampersand', '<Response><Say>Tom & Jerry</Say></Response>'],
    ['unknown entity', '<Response><Say>&nbsp;</Say></Response>'],
    ['unquoted attribute', '<Response><Pause length=2/></Response>'],
    ['duplicate attribute', '<Response><Pause length="1" length="2"/></Response>'],
    ['two roots', '<Response/><Response/>'],
    ['text after root', '<Response/>trailing'],
    ['empty document', ''],
    ['declaration not first', ' <?xml version="1.0"?><Response/>'],
    ['doctype', '<!DOCTYPE x><Response/>'],
  ])('rejects malformed XML (%s) with 12100', (_name, xml) => {
    expect(problemsOf(xml).code).toBe(12100);
  });

  it.each([
    ['wrong root', '<Twiml><Say>hi</Say></Twiml>'],
    ['unknown verb', '<Response><Speak>hi</Speak></Response>'],
    ['verb nested in a verb', '<Response><Gather><Gather/></Gather></Response>'],
    ['Dial inside Gather', '<Response><Gather><Dial>+1555</Dial></Gather></Response>'],
    ['unknown attribute', '<Response><Say voise="alice">hi</Say></Response>'],
    ['bad enumeration', '<Response><Gather input="keypad"/></Response>'],
    ['bad integer', '<Response><Pause length="two"/></Response>'],
    ['bad boolean', '<Response><Dial answerOnBridge="yes">+15551234567</Dial></Response>'],
    ['bad method', '<Response><Redirect method="PUT">/x</Redirect></Response>'],
    ['Redirect without URL', '<Response><Redirect/></Response>'],
    ['Enqueue without a queue', '<Response><Enqueue/></Response>'],
    ['Queue mixed with Client', '<Response><Dial><Queue>q</Queue><Client>a</Client></Dial></Response>'],
    ['text where none belongs', '<Response><Hangup>now</Hangup></Response>'],
    ['text directly in Response', '<Response>hello</Response>'],
    ['Leave outside a wait document', '<Response><Leave/></Response>'],
    ['Stream without url', '<Response><Start><Stream name="x"/></Start></Response>'],
    ['Stream with an http url', '<Response><Connect><Stream url="https://x/y"/></Connect></Response>'],
    ['Client status event typo', '<Response><Dial><Client statusCallbackEvent="rang">a</Client></Dial></Response>'],
  ])('rejects schema violations (%s) with 12200', (_name, xml) => {
    expect(problemsOf(xml).code).toBe(12200);
  });

  it('applies the verb list of each execution context', () => {
    const wait = '<Response><Say>hold on</Say><Leave/></Response>';
    expect(() => parseTwiml(wait, { kind: 'voice', context: 'wait' })).not.toThrow();
    const err = problemsOf('<Response><Dial>+15551234567</Dial></Response>', { kind: 'voice', context: 'wait' });
    expect(err.code).toBe(12200);
    expect(err.problems[0]).toMatch(/Dial/);
    expect(problemsOf('<Response><Gather/></Response>', { kind: 'voice', context: 'queueAnnounce' }).code).toBe(12200);
  });

  it('validates messaging TwiML separately from voice', () => {
    expect(problemsOf('<Response><Say>hi</Say></Response>', { kind: 'messaging' }).code).toBe(12200);
    expect(problemsOf('<Response><Message/></Response>', { kind: 'messaging' }).code).toBe(12200);
    expect(problemsOf('<Response><Message>a<Media/></Message></Response>', { kind: 'messaging' }).code).toBe(12200);
  });

  it('reports every problem, not just the first', () => {
    const err = problemsOf('<Response><Say voise="x" loop="many">hi</Say><Speak/></Response>');
    expect(err.problems.length).toBeGreaterThanOrEqual(3);
  });
});
