import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { HttpExchange } from './http-exchange.js';
import type { ConcreteRequest, TargetInfo } from './request-model.js';
import type { SidCatalog } from './sid-catalog.js';

/**
 * A small world for the fuzz to work on, built through the API as a client would: a workspace with activities,
 * a queue, a workflow, an available and an unavailable worker, tasks (one reserved), an IVR menu, a phone number
 * using them, an SMS conversation and a call in the IVR. Every record is learned into the catalog.
 */
export async function buildFixture(exchange: HttpExchange, target: TargetInfo, catalog: SidCatalog): Promise<void> {
  const tag = randomBytes(4).toString('hex');
  const call = async (method: string, path: string, params: Record<string, string> = {}, webhook = false): Promise<any> => {
    const body = new URLSearchParams(params).toString();
    const headers: Array<[string, string]> = [['Content-Type', 'application/x-www-form-urlencoded']];
    if (webhook) headers.push(['X-Twilio-Signature', twilio.getExpectedTwilioSignature(target.authToken, target.publicUrl + path, params)]);
    else headers.push(['Authorization', 'Basic ' + Buffer.from(`${target.accountSid}:${target.authToken}`).toString('base64')]);
    const request: ConcreteRequest = {
      surface: webhook ? 'webhook' : 'api',
      method,
      target: path,
      pathAndQuery: path,
      headers,
      body: method === 'GET' ? null : Buffer.from(body),
      mediaType: 'application/x-www-form-urlencoded',
      params: new Map(),
      summary: `${method} ${path}`,
    };
    const outcome = await exchange.send(request);
    if (outcome.kind !== 'answer' || outcome.status >= 300) {
      throw new Error(`building the fuzz fixture: ${method} ${path} got ${outcome.kind === 'answer' ? `${outcome.status} ${outcome.text}` : outcome.reason}`);
    }
    if (webhook) return outcome.text;
    const parsed = outcome.text ? JSON.parse(outcome.text) : null;
    catalog.learn(parsed);
    return parsed;
  };

  const ws = (await call('POST', '/v1/Workspaces', { FriendlyName: `Fuzz ${tag}` })).sid as string;
  const base = `/v1/Workspaces/${ws}`;
  const ready = (await call('POST', `${base}/Activities`, { FriendlyName: 'Ready', Available: 'true' })).sid as string;
  await call('POST', `${base}/Activities`, { FriendlyName: 'Away', Available: 'false' });
  await call('GET', `${base}/TaskChannels`);
  const queue = (await call('POST', `${base}/TaskQueues`, { FriendlyName: 'Everyone', TargetWorkers: '1==1' })).sid as string;
  const configuration = JSON.stringify({
    task_routing: { filters: [{ filter_friendly_name: 'urgent', expression: 'priority > 5', targets: [{ queue, priority: 10 }] }], default_filter: { queue } },
  });
  const workflow = (await call('POST', `${base}/Workflows`, { FriendlyName: 'Main', Configuration: configuration, TaskReservationTimeout: '120' }))
    .sid as string;
  const worker = (await call('POST', `${base}/Workers`, { FriendlyName: 'alice', Attributes: '{"skills":["support"],"contact_uri":"client:alice"}' }))
    .sid as string;
  await call('POST', `${base}/Workers`, { FriendlyName: 'bob', Attributes: '{"skills":["sales"]}' });
  await call('POST', `${base}/Workers/${worker}`, { ActivitySid: ready });
  for (const priority of ['1', '7', '3']) {
    await call('POST', `${base}/Tasks`, {
      WorkflowSid: workflow,
      Priority: priority,
      Attributes: JSON.stringify({ priority: Number(priority), language: 'en' }),
    });
  }
  await call('GET', `${base}/Workers/${worker}/Reservations`);
  await call('GET', `${base}/Events`);
  await call('GET', `${base}/Workers/${worker}/Channels`);

  const menu = await call('POST', '/v1/Connector/IvrMenus', {
    unique_name: `menu-${tag}`,
    prompt: 'Press 1 for sales.',
    input: 'dtmf',
    options: JSON.stringify([{ digits: '1', attributes: { department: 'sales' } }]),
  });
  const number = `+1555${String(parseInt(tag, 16) % 10_000_000).padStart(7, '0')}`;
  await call('POST', '/v1/Connector/PhoneNumbers', {
    number,
    workspace_sid: ws,
    workflow_sid: workflow,
    ivr_menu_sid: menu.sid as string,
    sms_task_channel: 'sms',
  });
  await call(
    'POST',
    '/webhooks/sms',
    { MessageSid: 'SM' + randomBytes(16).toString('hex'), From: '+14155550100', To: number, Body: 'hello', NumMedia: '0' },
    true,
  );
  await call(
    'POST',
    '/webhooks/voice',
    { CallSid: 'CA' + randomBytes(16).toString('hex'), From: '+14155550101', To: number, CallStatus: 'ringing', Direction: 'inbound' },
    true,
  );
  // The conversation's sid is in its task's attributes; so is the call's.
  const tasks = await call('GET', `${base}/Tasks?PageSize=50`);
  for (const task of tasks.tasks as Array<{ attributes: string }>) {
    for (const sid of task.attributes.match(/\b(CH|CA)[0-9a-f]{32}\b/g) ?? []) catalog.add(sid.slice(0, 2) as 'CH' | 'CA', sid);
  }
}
