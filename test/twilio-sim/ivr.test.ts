import { afterEach, describe, expect, it } from 'vitest';
import { simWithApp, voiceResponse } from './fixtures.js';
import type { SimEventOf } from './index.js';

const CALLER = '+14155550100';
const NUMBER = '+12125550199';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('inbound calls and IVR', () => {
  it('sends the standard voice parameters, signed, and follows Gather to its action with Digits', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => {
          const g = r.gather({ numDigits: 1, action: '/menu', timeout: 5 });
          g.say({ voice: 'Polly.Joanna', language: 'en-US' }, 'Press 1 for sales, 2 for support.');
          r.say('We did not get that.');
        }),
      );
      app.post(
        '/menu',
        voiceResponse((r, params) => {
          r.say(`You chose ${params.Digits}`);
          r.hangup();
        }),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;

    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    call.press('2');
    await call.finished;

    const first = app.at('/voice')[0]!;
    expect(first.signatureValid).toBe(true);
    expect(first.params).toMatchObject({
      CallSid: call.sid,
      AccountSid: sim.accountSid,
      From: CALLER,
      To: NUMBER,
      Caller: CALLER,
      Called: NUMBER,
      CallStatus: 'ringing',
      ApiVersion: '2010-04-01',
      Direction: 'inbound',
      FromCity: 'SAN FRANCISCO',
      FromState: 'CA',
      FromZip: '94103',
      FromCountry: 'US',
      ToCity: 'NEW YORK',
      ToState: 'NY',
      ToCountry: 'US',
      CallerCity: 'SAN FRANCISCO',
      CalledState: 'NY',
    });
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    const menu = app.at('/menu')[0]!;
    expect(menu.signatureValid).toBe(true);
    expect(menu.params).toMatchObject({ Digits: '2', FinishedOnKey: '', CallStatus: 'in-progress', CallSid: call.sid });
    expect(call.heard()).toEqual(['Press 1 for sales, 2 for support.', 'You chose 2']);
    const prompt = call.events.find((e): e is SimEventOf<'heard'> => e.type === 'heard')!;
    expect(prompt).toMatchObject({ voice: 'Polly.Joanna', language: 'en-US', loop: 1 });
    expect(call.status).toBe('completed');
    expect(call.events.filter((e) => e.type === 'status').map((e) => e.status)).toEqual(['ringing', 'in-progress', 'completed']);
    expect(sim.errors).toEqual([]);
  });

  it('falls through to the next verb when the caller stays silent, and hangs up when TwiML runs out', async () => {
    const env = await simWithApp(
      (app) => {
        app.post(
          '/voice',
          voiceResponse((r) => {
            r.gather({ action: '/menu', timeout: 3 }).say('Enter your account number, then press pound.');
            r.say('Goodbye');
          }),
        );
        app.post(
          '/menu',
          voiceResponse(() => {}),
        );
      },
      { clockSpeed: 0 },
    );
    cleanup = env.close;
    const { sim, app } = env;

    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    await call.waitFor((e) => e.type === 'gather' && e.phase === 'start');
    // Frozen clock: nothing happens until simulated time moves past prompt + timeout.
    await sim.advance(2_000);
    expect(call.status).toBe('in-progress');
    await sim.advance(10_000);
    await call.waitFor((e) => e.type === 'gather' && e.phase === 'timeout');
    await sim.advance(5_000);
    await call.finished;
    expect(app.at('/menu')).toHaveLength(0);
    expect(call.heard()).toEqual(['Enter your account number, then press pound.', 'Goodbye']);
    expect(call.endedBy).toBe('twiml');
  });

  it('collects digits up to finishOnKey and leaves type-ahead for the next Gather', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => {
          r.gather({ action: '/account', finishOnKey: '#' }).say('Account number?');
        }),
      );
      app.post(
        '/account',
        voiceResponse((r) => r.gather({ action: '/pin', numDigits: 2 })),
      );
      app.post(
        '/pin',
        voiceResponse((r) => r.hangup()),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    call.press('12').press('34#567');
    await call.finished;
    expect(app.at('/account')[0]!.params).toMatchObject({ Digits: '1234', FinishedOnKey: '#' });
    expect(app.at('/pin')[0]!.params).toMatchObject({ Digits: '56' });
  });

  it('takes speech input, redirects with GET, and posts actionOnEmptyResult', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => {
          r.gather({ input: ['speech'], action: '/heard', language: 'en-US' }).say('Which department?');
        }),
      );
      app.post(
        '/heard',
        voiceResponse((r) => r.redirect({ method: 'GET' }, '/again?step=2')),
      );
      app.get(
        '/again',
        voiceResponse((r) => r.gather({ action: '/empty', actionOnEmptyResult: true, timeout: 1 })),
      );
      app.post(
        '/empty',
        voiceResponse((r) => r.hangup()),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    call.say('sales', 0.87).silence();
    await call.finished;
    expect(app.at('/heard')[0]!.params).toMatchObject({ SpeechResult: 'sales', Confidence: '0.87', Language: 'en-US' });
    const again = app.at('/again')[0]!;
    expect(again.method).toBe('GET');
    expect(again.signatureValid).toBe(true);
    expect(again.params).toMatchObject({ step: '2', CallSid: call.sid, CallStatus: 'in-progress' });
    expect(app.at('/empty')[0]!.params).toMatchObject({ Digits: '' });
    expect(sim.errors).toEqual([]);
  });

  it('flags invalid TwiML, plays the application error and hangs up', async () => {
    const env = await simWithApp((app) => {
      app.post('/voice', (_req, res) => {
        res.type('text/xml').send('<Response><Say>hello</Say><Gather><Dial>+15551234567</Dial></Gather></Response>');
      });
    });
    cleanup = env.close;
    const { sim, app } = env;
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    await call.finished;
    expect(sim.errors).toHaveLength(1);
    const err = sim.errors.find((e): e is SimEventOf<'twiml-error'> => e.type === 'twiml-error')!;
    expect(err.code).toBe(12200);
    expect(err.problems.join('\n')).toMatch(/<Dial> is not allowed inside <Gather>/);
    expect(call.heard()).toEqual(['We are sorry, an application error has occurred. Goodbye.']);
    expect(call.endedBy).toBe('error');
  });

  it('treats HTTP failures and non-TwiML content types as application errors', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => r.redirect('/broken')),
      );
      app.post('/broken', (_req, res) => {
        res.status(500).send('oops');
      });
      app.post('/html', (_req, res) => {
        res.type('text/html').send('<html></html>');
      });
    });
    cleanup = env.close;
    const { sim, app } = env;
    const broken = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    await broken.finished;
    expect(broken.events.find((e) => e.type === 'error')).toMatchObject({ code: 11200 });
    const html = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/html` });
    await html.finished;
    expect(html.events.find((e) => e.type === 'error')).toMatchObject({ code: 12300 });
  });

  it('rejects a call without answering it', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/busy',
        voiceResponse((r) => r.reject({ reason: 'busy' })),
      );
      app.post(
        '/rejected',
        voiceResponse((r) => r.reject()),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    const busy = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/busy` });
    const rejected = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/rejected` });
    await Promise.all([busy.finished, rejected.finished]);
    expect(busy.status).toBe('busy');
    expect(rejected.status).toBe('no-answer');
    expect(busy.answered).toBe(false);
  });

  it('sends the number-level status callback when the call completes', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => r.say('hi')),
      );
      app.post('/status', (_req, res) => res.status(204).end());
    });
    cleanup = env.close;
    const { sim, app } = env;
    const call = sim.inboundCall({
      from: CALLER,
      to: NUMBER,
      webhookUrl: `${app.url}/voice`,
      statusCallback: `${app.url}/status`,
    });
    await call.finished;
    const [status] = app.at('/status');
    expect(app.at('/status')).toHaveLength(1);
    expect(status!.signatureValid).toBe(true);
    expect(status!.params).toMatchObject({
      CallStatus: 'completed',
      CallbackSource: 'call-progress-events',
      SequenceNumber: '0',
      CallDuration: expect.stringMatching(/^\d+$/),
      Timestamp: expect.stringMatching(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/),
    });
  });
});
