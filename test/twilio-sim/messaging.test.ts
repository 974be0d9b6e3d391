import { afterEach, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { simClient, simWithApp, twiml } from './fixtures.js';

const { MessagingResponse } = twilio.twiml;
const CUSTOMER = '+14155550100';
const NUMBER = '+12125550199';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('messaging', () => {
  it('posts the signed SMS webhook and records <Message> replies with delivery callbacks', async () => {
    const env = await simWithApp((app) => {
      app.post('/sms', (req, res) => {
        const m = new MessagingResponse();
        m.message({ statusCallback: '/sms-status' }, `Got: ${(req.body as Record<string, string>).Body}`);
        m.message({ to: '+15557770009' }, 'FYI a customer wrote in').media('/img/alert.png');
        twiml(res, m);
      });
      app.post('/sms-status', (_req, res) => res.status(204).end());
    });
    cleanup = env.close;
    const { sim, app } = env;

    const sms = sim.inboundSms({
      from: CUSTOMER,
      to: NUMBER,
      body: 'Where is my order?',
      webhookUrl: `${app.url}/sms`,
      media: [{ url: 'https://media.example/cat.jpg', contentType: 'image/jpeg' }],
    });
    await sms.finished;
    await sim.quiesce();

    const hook = app.at('/sms')[0]!;
    expect(hook.signatureValid).toBe(true);
    expect(hook.params).toMatchObject({
      MessageSid: sms.sid,
      SmsSid: sms.sid,
      SmsMessageSid: sms.sid,
      AccountSid: sim.accountSid,
      From: CUSTOMER,
      To: NUMBER,
      Body: 'Where is my order?',
      NumMedia: '1',
      NumSegments: '1',
      MediaUrl0: 'https://media.example/cat.jpg',
      MediaContentType0: 'image/jpeg',
      FromCity: 'SAN FRANCISCO',
      ToState: 'NY',
      SmsStatus: 'received',
      ApiVersion: '2010-04-01',
    });
    expect(sms.sid).toMatch(/^MM[0-9a-f]{32}$/);

    expect(sms.replies.map((r) => [r.from, r.to, r.body, r.mediaUrls])).toEqual([
      [NUMBER, CUSTOMER, 'Got: Where is my order?', []],
      [NUMBER, '+15557770009', 'FYI a customer wrote in', [`${app.url}/img/alert.png`]],
    ]);
    expect(sms.events.filter((e) => e.type === 'message')).toHaveLength(2);
    const statuses = app.at('/sms-status').map((r) => r.params.MessageStatus);
    expect(statuses).toEqual(['queued', 'sent', 'delivered']);
    expect(app.at('/sms-status')[2]!.params).toMatchObject({
      MessageSid: sms.replies[0]!.sid,
      SmsStatus: 'delivered',
      RawDlrDoneDate: expect.stringMatching(/^\d{10}$/),
    });
    expect(sim.errors).toEqual([]);
  });

  it('sends nothing for an empty answer and flags invalid messaging TwiML', async () => {
    const env = await simWithApp((app) => {
      app.post('/quiet', (_req, res) => twiml(res, new MessagingResponse()));
      app.post('/broken', (_req, res) => {
        res.type('text/xml').send('<Response><Say>This is voice TwiML</Say></Response>');
      });
    });
    cleanup = env.close;
    const { sim, app } = env;
    const quiet = sim.inboundSms({ from: CUSTOMER, to: NUMBER, body: 'hi', webhookUrl: `${app.url}/quiet` });
    await quiet.finished;
    expect(quiet.replies).toEqual([]);
    const broken = sim.inboundSms({ from: CUSTOMER, to: NUMBER, body: 'hi', webhookUrl: `${app.url}/broken` });
    await broken.finished;
    expect(sim.errors).toHaveLength(1);
    expect(sim.errors[0]).toMatchObject({ type: 'twiml-error', code: 12200, sid: broken.sid });
  });

  it('records REST-created messages and reports their delivery', async () => {
    const env = await simWithApp((app) => {
      app.post('/status', (_req, res) => res.status(204).end());
    });
    cleanup = env.close;
    const { sim, app } = env;
    const client = simClient(sim);
    const message = await client.messages.create({
      to: CUSTOMER,
      from: NUMBER,
      body: 'Your agent will call you back.',
      statusCallback: `${app.url}/status`,
    });
    expect(message.sid).toMatch(/^SM/);
    expect(message.status).toBe('queued');
    expect(message.dateCreated).toBeInstanceOf(Date);
    await sim.quiesce();
    expect(app.at('/status').map((r) => r.params.MessageStatus)).toEqual(['queued', 'sent', 'delivered']);
    const fetched = await client.messages(message.sid).fetch();
    expect(fetched.status).toBe('delivered');
    expect(sim.messages.filter((m) => m.direction === 'outbound-api').map((m) => m.body)).toEqual(['Your agent will call you back.']);
    await expect(client.messages.create({ to: CUSTOMER, from: NUMBER })).rejects.toMatchObject({
      status: 400,
      code: 21602,
    });
  });
});
