import { afterEach, describe, expect, it } from 'vitest';
import { simClient, simWithApp, voiceResponse } from './fixtures.js';

const CALLER = '+14155550100';
const NUMBER = '+12125550199';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** A customer and an agent in the conference `WT1`; the customer goes on to `/after` when their `<Dial>` ends. */
async function twoInARoom() {
  const env = await simWithApp((app) => {
    app.post(
      '/customer',
      voiceResponse((r) => {
        r.dial({ action: '/after' }).conference({ startConferenceOnEnter: false }, 'WT1');
      }),
    );
    app.post(
      '/agent',
      voiceResponse((r) => {
        r.dial().conference({ startConferenceOnEnter: true }, 'WT1');
      }),
    );
    app.post(
      '/music',
      voiceResponse((r) => r.say('Please hold.')),
    );
    app.get(
      '/music',
      voiceResponse((r) => r.say('Please hold, fetched with GET.')),
    );
    app.post(
      '/after',
      voiceResponse((r) => r.say('You left the conference.')),
    );
  });
  cleanup = env.close;
  const { sim, app } = env;
  const customer = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/customer` });
  await customer.waitFor((e) => e.type === 'conference' && e.phase === 'join');
  const agent = sim.inboundCall({ from: '+14155550177', to: NUMBER, webhookUrl: `${app.url}/agent` });
  await customer.waitFor((e) => e.type === 'conference' && e.phase === 'start');
  return { ...env, customer, agent, client: simClient(sim) };
}

describe('the Conferences and Participants REST resources', () => {
  it('lists conferences by FriendlyName and Status, fetches one, and lists and fetches its participants', async () => {
    const { sim, client, customer, agent } = await twoInARoom();
    const [room] = await client.conferences.list({ friendlyName: 'WT1', status: 'in-progress' });
    expect(room).toMatchObject({ friendlyName: 'WT1', status: 'in-progress' });
    expect(await client.conferences.list({ friendlyName: 'WT2' })).toEqual([]);
    expect(await client.conferences.list({ friendlyName: 'WT1', status: 'completed' })).toEqual([]);
    expect((await client.conferences(room!.sid).fetch()).friendlyName).toBe('WT1');
    const participants = await client.conferences(room!.sid).participants.list();
    expect(participants.map((p) => p.callSid).sort()).toEqual([customer.sid, agent.sid].sort());
    const fetched = await client.conferences(room!.sid).participants(agent.sid).fetch();
    expect(fetched).toMatchObject({ callSid: agent.sid, conferenceSid: room!.sid, hold: false, muted: false, startConferenceOnEnter: true });
    await expect(
      client
        .conferences(room!.sid)
        .participants('CA' + '0'.repeat(32))
        .fetch(),
    ).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.conferences('CF' + '0'.repeat(32)).fetch()).rejects.toMatchObject({ status: 404 });
    agent.hangUp();
    customer.hangUp();
    await customer.finished;
    await sim.quiesce();
    expect(sim.errors).toEqual([]);
  });

  it('holds a participant on its HoldUrl (GET by default) until unheld, and mutes one', async () => {
    const { sim, app, client, customer, agent } = await twoInARoom();
    const [room] = await client.conferences.list({ friendlyName: 'WT1', status: 'in-progress' });
    const held = await client
      .conferences(room!.sid)
      .participants(customer.sid)
      .update({ hold: true, holdUrl: `${app.url}/music` });
    expect(held.hold).toBe(true);
    const fetch = await customer.waitForRequest('conference-hold-url');
    expect(fetch.method).toBe('GET');
    await customer.waitFor((e) => e.type === 'heard' && e.text === 'Please hold, fetched with GET.');
    expect((await client.conferences(room!.sid).participants.list({ hold: true })).map((p) => p.callSid)).toEqual([customer.sid]);
    await client.conferences(room!.sid).participants(customer.sid).update({ hold: false });
    await client.conferences(room!.sid).participants(agent.sid).update({ muted: true, endConferenceOnExit: true, beepOnExit: false });
    expect(await client.conferences(room!.sid).participants(agent.sid).fetch()).toMatchObject({ muted: true, endConferenceOnExit: true });
    expect((await client.conferences(room!.sid).participants(customer.sid).fetch()).hold).toBe(false);
    await expect(client.conferences(room!.sid).participants(agent.sid).update({ holdMethod: 'PUT' })).rejects.toMatchObject({ status: 400 });
    // The agent now ends the conference on leaving.
    agent.hangUp();
    await customer.finished;
    await sim.quiesce();
    expect(sim.errors).toEqual([]);
  });

  it('removing a participant takes its call out of the room: it goes on with the TwiML after its <Dial>', async () => {
    const { sim, client, customer, agent } = await twoInARoom();
    const [room] = await client.conferences.list({ friendlyName: 'WT1' });
    expect(await client.conferences(room!.sid).participants(customer.sid).remove()).toBe(true);
    await customer.finished;
    expect(customer.heard()).toContain('You left the conference.');
    expect(customer.requests('dial-action')[0]!.params.DialCallStatus).toBe('answered');
    // The agent is alone in the room, which goes on until they leave.
    expect(room!.sid).toBe(sim.conferences[0]!.sid);
    expect([...sim.conferences[0]!.participants.keys()]).toEqual([agent.sid]);
    agent.hangUp();
    await agent.finished;
    await sim.quiesce();
    expect(sim.conferences[0]!.status).toBe('completed');
    expect(sim.errors).toEqual([]);
  });
});
