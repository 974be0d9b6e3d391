import { describe, expect, it } from 'vitest';
import { addWorker, configureNumber } from '../connector/flow-helpers.js';
import { createCallCenter, randomCaller, useSimulatedTwilio, type ConnectorServer } from '../connector/harness.js';
import { SIGNING_KEY } from '../realtime/sdk-helpers.js';
import type { TwilioSim } from '../twilio-sim/index.js';
import { connected, eventually, signInLink } from './agent-helpers.js';
import { screenshot, useBrowser } from './browser.js';

let sim: TwilioSim;
let server: ConnectorServer;
useSimulatedTwilio({ clockSpeed: 100, startEngine: true, apiKeys: [SIGNING_KEY] }, (twilio) => ({ sim, server } = twilio));

describe('an SMS conversation at the agent desktop, against the Twilio simulator', () => {
  const browser = useBrowser();

  it("shows the customer's thread live and sends the agent's reply through Twilio", async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const sam = await addWorker(server, center, 'Sam', true);
    const customer = randomCaller();
    const page = await browser.open(await signInLink(server, center.workspaceSid, sam.sid));
    await connected(page);

    const text = (body: string) => sim.inboundSms({ from: customer, to: number.number, body, webhookUrl: `${server.url}/webhooks/sms` }).finished;
    await text('Where is my order #1234?');
    const offer = page.getByRole('article', { name: `Incoming sms: ${customer}` });
    await offer.getByRole('button', { name: 'Accept' }).click();

    const card = page.getByRole('article', { name: `${customer} · sms` });
    const thread = card.getByRole('log', { name: 'Messages' });
    await eventually(() => thread.textContent()).toContain('Where is my order #1234?');

    await card.getByRole('textbox', { name: 'Reply' }).fill('It ships tomorrow.');
    await card.getByRole('button', { name: 'Send' }).click();
    await eventually(() => sim.messages.filter((m) => m.body === 'It ships tomorrow.').map((m) => [m.from, m.to])).toEqual([[number.number, customer]]);
    await eventually(() => thread.textContent()).toContain('It ships tomorrow.');
    expect(await card.getByRole('textbox', { name: 'Reply' }).inputValue()).toBe('');

    // The customer's next message appears without the agent doing anything.
    await text('Great, can you use the side door?');
    await eventually(() => thread.getByRole('paragraph').allTextContents()).toEqual([
      expect.stringContaining('Where is my order #1234?'),
      expect.stringContaining('It ships tomorrow.'),
      expect.stringContaining('Great, can you use the side door?'),
    ]);
    expect(await thread.getByRole('paragraph').nth(1).textContent()).toContain('Sam');
    await screenshot(page, 'agent-sms');

    await card.getByRole('button', { name: 'Wrap up' }).click();
    await card.getByRole('button', { name: 'Complete' }).click();
    await eventually(() => card.count()).toBe(0);
    await sim.quiesce();
  });
});
