import { describe, expect, it } from 'vitest';
import { agentBridgeTwiml, agentMissedTwiml } from '../../twiml/agent-bridge.js';
import { conferenceTwiml } from '../../twiml/conference.js';
import { enqueueTwiml } from '../../twiml/enqueue.js';
import { callbackMessageTwiml, voicemailTwiml } from '../../twiml/fallback.js';
import { emptyTwiml, goodbyeTwiml } from '../../twiml/goodbye.js';
import { holdAnnouncement, holdTwiml } from '../../twiml/hold.js';
import { ivrMenuTwiml } from '../../twiml/ivr-menu.js';
import { parseTwiml, type TwimlNode } from '../twilio-sim/twiml/parse.js';
import { pickOption } from '../../src/connector/voice/ivr-answer.js';
import { callAttributes } from '../../src/connector/call-attributes.js';

const style = { language: 'en-GB', voice: 'Polly.Amy' };
const names = (verbs: readonly TwimlNode[]) => verbs.map((v) => v.name);

describe('TwiML documents', () => {
  it('asks an IVR menu inside a Gather, then redirects to the same action when nothing is said', () => {
    const xml = ivrMenuTwiml({
      menu: {
        prompt: 'Press 1 for sales.',
        playUrl: null,
        input: ['dtmf', 'speech'],
        numDigits: 1,
        timeout: 7,
        options: [{ digits: '1', speech: ['sales'], attributes: {}, nextMenuSid: null }],
      },
      style,
      actionUrl: 'https://sb.example/webhooks/voice/menu?number=PN1&menu=IM1&attempt=0',
      notice: 'Sorry, I did not get that.',
    });
    const doc = parseTwiml(xml, { kind: 'voice' });
    expect(names(doc.verbs)).toEqual(['Say', 'Gather', 'Redirect']);
    const gather = doc.verbs[1]!;
    expect(gather.attributes).toMatchObject({
      input: 'dtmf speech',
      numDigits: '1',
      timeout: '7',
      language: 'en-GB',
      hints: 'sales',
      action: 'https://sb.example/webhooks/voice/menu?number=PN1&menu=IM1&attempt=0',
    });
    expect(gather.children[0]).toMatchObject({ name: 'Say', text: 'Press 1 for sales.', attributes: { voice: 'Polly.Amy', language: 'en-GB' } });
    expect(doc.verbs[2]!.text).toBe(gather.attributes.action);
  });

  it('plays a recorded prompt when the menu has one', () => {
    const xml = ivrMenuTwiml({
      menu: { prompt: null, playUrl: 'https://cdn.example/menu.mp3', input: ['dtmf'], numDigits: 2, timeout: 5, options: [] },
      style,
      actionUrl: 'https://sb.example/a',
    });
    const gather = parseTwiml(xml, { kind: 'voice' }).verbs[0]!;
    expect(gather.attributes.numDigits).toBe('2');
    expect(gather.children.map((c) => [c.name, c.text])).toEqual([['Play', 'https://cdn.example/menu.mp3']]);
  });

  it('enqueues into a queue named after the task, without any hosted-TaskRouter attribute', () => {
    const xml = enqueueTwiml({ queueName: 'WT0123', waitUrl: 'https://sb.example/hold', actionUrl: 'https://sb.example/done' });
    const [enqueue] = parseTwiml(xml, { kind: 'voice' }).verbs;
    expect(enqueue).toMatchObject({ name: 'Enqueue', text: 'WT0123', attributes: { waitUrl: 'https://sb.example/hold', action: 'https://sb.example/done' } });
    expect(xml).not.toMatch(/workflowSid|reservationSid|postWorkActivitySid/);
  });

  it('holds with an announcement and a pause, or music and a redirect, in what a wait URL may use', () => {
    const paused = parseTwiml(
      holdTwiml({ style, announcement: 'You are next in line.', musicUrl: null, everySeconds: 20, nextUrl: 'https://sb.example/hold?x=1' }),
      { kind: 'voice', context: 'wait' },
    );
    expect(names(paused.verbs)).toEqual(['Say', 'Pause']);
    expect(paused.verbs[1]!.attributes.length).toBe('20');
    const music = parseTwiml(
      holdTwiml({ style, announcement: null, musicUrl: 'https://cdn.example/hold.mp3', everySeconds: 20, nextUrl: 'https://sb.example/hold?announced=5' }),
      { kind: 'voice', context: 'wait' },
    );
    expect(names(music.verbs)).toEqual(['Play', 'Redirect']);
    expect(music.verbs[1]!.text).toBe('https://sb.example/hold?announced=5');
  });

  it('words the place in line and the wait', () => {
    expect(holdAnnouncement(1, 30, { position: true, wait: true })).toBe('You are next in line. Your estimated wait time is about one minute.');
    expect(holdAnnouncement(3, 300, { position: true, wait: true })).toBe('You are number 3 in line. Your estimated wait time is about 5 minutes.');
    expect(holdAnnouncement(3, null, { position: true, wait: true })).toBe('You are number 3 in line.');
    expect(holdAnnouncement(3, 300, { position: false, wait: false })).toBeNull();
  });

  it('bridges the agent to the queue, or turns them away', () => {
    const bridge = parseTwiml(agentBridgeTwiml('WT0123', 'https://sb.example/agent-dial'), { kind: 'voice' }).verbs[0]!;
    expect(bridge).toMatchObject({ name: 'Dial', attributes: { action: 'https://sb.example/agent-dial' } });
    expect(bridge.children[0]).toMatchObject({ name: 'Queue', text: 'WT0123' });
    expect(bridge.children[0]!.attributes).not.toHaveProperty('reservationSid');
    expect(names(parseTwiml(agentMissedTwiml(), { kind: 'voice' }).verbs)).toEqual(['Say', 'Hangup']);
  });

  it('joins a conference named after the task with the leg settings', () => {
    const dial = parseTwiml(conferenceTwiml('WT0123', { startConferenceOnEnter: true, endConferenceOnExit: false, beep: 'onEnter' }), { kind: 'voice' })
      .verbs[0]!;
    expect(dial.children[0]).toMatchObject({
      name: 'Conference',
      text: 'WT0123',
      attributes: { startConferenceOnEnter: 'true', endConferenceOnExit: 'false', beep: 'onEnter' },
    });
  });

  it('records a voicemail or says the callback message, then hangs up', () => {
    const voicemail = parseTwiml(voicemailTwiml(style, null, 90, 'https://sb.example/voicemail'), { kind: 'voice' });
    expect(names(voicemail.verbs)).toEqual(['Say', 'Record', 'Hangup']);
    expect(voicemail.verbs[1]!.attributes).toMatchObject({ action: 'https://sb.example/voicemail', maxLength: '90' });
    const message = parseTwiml(callbackMessageTwiml(style, 'We will call you.'), { kind: 'voice' });
    expect(message.verbs.map((v) => [v.name, v.text])).toEqual([
      ['Say', 'We will call you.'],
      ['Hangup', ''],
    ]);
  });

  it('says goodbye, or nothing', () => {
    expect(names(parseTwiml(goodbyeTwiml(style), { kind: 'voice' }).verbs)).toEqual(['Say', 'Hangup']);
    expect(names(parseTwiml(goodbyeTwiml(style, null), { kind: 'voice' }).verbs)).toEqual(['Hangup']);
    expect(parseTwiml(emptyTwiml(), { kind: 'voice' }).verbs).toEqual([]);
  });
});

describe('IVR answers and call attributes', () => {
  const menu = {
    options: [
      { digits: '1', speech: ['sales', 'buy'], attributes: { d: 'sales' }, nextMenuSid: null },
      { digits: '2', speech: ['technical support'], attributes: { d: 'support' }, nextMenuSid: null },
    ],
  };

  it('picks an option by keys or by words heard', () => {
    expect(pickOption(menu, '1', undefined)?.attributes).toEqual({ d: 'sales' });
    expect(pickOption(menu, '2#', undefined)?.attributes).toEqual({ d: 'support' });
    expect(pickOption(menu, undefined, 'I want to BUY something.')?.attributes).toEqual({ d: 'sales' });
    expect(pickOption(menu, undefined, 'Technical support please')?.attributes).toEqual({ d: 'support' });
    expect(pickOption(menu, '9', 'nothing useful')).toBeNull();
    expect(pickOption(menu, undefined, undefined)).toBeNull();
  });

  it('copies the call attributes TaskRouter copies, snake_case, leaving out what Twilio did not send', () => {
    expect(
      callAttributes({
        CallSid: 'CA1',
        AccountSid: 'AC1',
        From: '+1555',
        To: '+1666',
        Caller: '+1555',
        Called: '+1666',
        Direction: 'inbound',
        CallStatus: 'ringing',
        ApiVersion: '2010-04-01',
        FromCity: 'Oakland',
        FromCountry: 'US',
        CalledZip: '94105',
        Digits: '1',
      }),
    ).toEqual({
      call_sid: 'CA1',
      account_sid: 'AC1',
      from: '+1555',
      to: '+1666',
      caller: '+1555',
      called: '+1666',
      direction: 'inbound',
      call_status: 'ringing',
      api_version: '2010-04-01',
      from_city: 'Oakland',
      from_country: 'US',
      called_zip: '94105',
    });
  });
});
