import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { SettingsReader } from '../../src/connector/settings-reader.js';
import type { PhoneNumberRecord } from '../../src/core/model.js';
import { parseTwiml, type TwimlNode } from '../twilio-sim/twiml/parse.js';
import type { VoiceContext } from '../twilio-sim/twiml/schema.js';
import type { TwilioSim } from '../twilio-sim/index.js';
import { createCallCenter, onlyTask, pendingReservation, randomCaller, signedWebhook, type CallCenter, type ConnectorServer } from './harness.js';

/** Where a TwiML document runs: a call's own document, or an `<Enqueue>` wait URL's. */
export type DocumentContext = VoiceContext;

/** A webhook answer, checked valid for where it runs, with its verbs. */
export interface Answer {
  xml: string;
  verbs: readonly TwimlNode[];
}

/** Every element named `name`, depth first. */
export function find(verbs: readonly TwimlNode[], name: string): TwimlNode[] {
  return verbs.flatMap((v) => [...(v.name === name ? [v] : []), ...find(v.children, name)]);
}

export function first(answer: Answer, name: string): TwimlNode {
  const found = find(answer.verbs, name)[0];
  if (!found) throw new Error(`no <${name}> in ${answer.xml}`);
  return found;
}

/** A caller's call as Twilio describes it in every request. */
export function inboundCall(to: string, extra: Record<string, string> = {}): Record<string, string> {
  const from = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  return {
    CallSid: 'CA' + randomBytes(16).toString('hex'),
    AccountSid: 'AC' + 'f'.repeat(32),
    From: from,
    To: to,
    Caller: from,
    Called: to,
    Direction: 'inbound',
    CallStatus: 'ringing',
    ApiVersion: '2010-04-01',
    FromCity: 'OAKLAND',
    FromState: 'CA',
    FromCountry: 'US',
    ToCountry: 'US',
    ...extra,
  };
}

/**
 * Plays Twilio's side of one request: POSTs `params` signed to `url` (absolute, on the server), expects TwiML, and
 * validates it as the simulator would for `context`.
 */
export async function twilioFetch(server: ConnectorServer, url: string, params: Record<string, string>, context: DocumentContext = 'call'): Promise<Answer> {
  expect(url.startsWith(server.url)).toBe(true);
  const res = await signedWebhook(server, url.slice(server.url.length), params);
  expect(res.status, res.body).toBe(200);
  expect(res.type).toMatch(/^text\/xml/);
  return { xml: res.body, verbs: parseTwiml(res.body, { kind: 'voice', context }).verbs };
}

/** POSTs a status callback signed to `url`; expects 204. */
export async function statusCallback(server: ConnectorServer, url: string, params: Record<string, string>): Promise<void> {
  const res = await signedWebhook(server, url.slice(server.url.length), params);
  expect(res.status, res.body).toBe(204);
}

/** A phone number of the call center, with `settings` beyond the workspace and workflow. */
export async function configureNumber(server: ConnectorServer, center: CallCenter, settings: Record<string, unknown> = {}): Promise<PhoneNumberRecord> {
  const number = `+1800${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  return server.connector.directory.createPhoneNumber(
    SettingsReader.of({ number, workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid, ...settings }),
  );
}

/** Creates a worker in the call center; `available` puts them in the Ready activity. */
export async function addWorker(server: ConnectorServer, center: CallCenter, name: string, available: boolean, attributes: Record<string, unknown> = {}) {
  return server.client.taskrouter.v1.workspaces(center.workspaceSid).workers.create({
    friendlyName: name,
    activitySid: available ? center.available : center.offline,
    attributes: JSON.stringify({ contact_uri: `client:${name}`, ...attributes }),
  });
}

export function attributes(task: { attributes: string }): Record<string, any> {
  return JSON.parse(task.attributes) as Record<string, any>;
}

/**
 * A caller waiting in line on a fresh call center: the simulator calls one of its numbers, which has `number`'s
 * settings, and the caller hears the wait music.
 */
export async function callerInLine(sim: TwilioSim, server: ConnectorServer, options: { reservationTimeout?: number; number?: Record<string, unknown> } = {}) {
  const center = await createCallCenter(server, { reservationTimeout: options.reservationTimeout });
  const number = await configureNumber(server, center, options.number);
  const call = sim.inboundCall({
    from: randomCaller(),
    to: number.number,
    webhookUrl: `${server.url}/webhooks/voice`,
    statusCallback: `${server.url}/webhooks/voice/status`,
  });
  const task = await onlyTask(server, center);
  await call.waitForRequest('wait-url');
  return { center, number, call, task };
}

/** A caller waiting in line (see `callerInLine`), and a worker named `agent` (attributes `attributes`) reserved for them. */
export async function callerWaiting(
  sim: TwilioSim,
  server: ConnectorServer,
  agent: string,
  options: { attributes?: Record<string, unknown>; reservationTimeout?: number; number?: Record<string, unknown> } = {},
) {
  const { center, number, call, task } = await callerInLine(sim, server, options);
  const worker = await addWorker(server, center, agent, true, options.attributes);
  const reservation = await pendingReservation(server, center, task.sid, worker.sid);
  return { center, number, call, task, worker, reservation };
}
