// Puts one task on the example support line (examples/support-line.yaml) and shows where it was routed, through
// the official twilio client pointed at Switchboard.
//
//   node examples/first-task.mjs [en|es]
//
// Credentials: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN from the environment or .env; without them, the pair a
// development server generated and keeps in its data directory (DATA_DIR, ./data by default).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';

if (existsSync('.env')) process.loadEnvFile('.env');
const kept = join(process.env.DATA_DIR ?? 'data', 'credentials.json');
const generated = existsSync(kept) ? JSON.parse(readFileSync(kept, 'utf8')) : {};
const accountSid = process.env.TWILIO_ACCOUNT_SID ?? generated.accountSid;
const authToken = process.env.TWILIO_AUTH_TOKEN ?? generated.authToken;
if (!accountSid || !authToken) {
  console.error('Set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to the pair Switchboard printed at start.');
  process.exit(1);
}
const base = new URL(process.env.SWITCHBOARD_URL ?? `http://localhost:${process.env.PORT ?? 3000}`);

// twilio-node builds TaskRouter URLs on https://taskrouter.twilio.com: send those requests to Switchboard instead.
class SwitchboardRequestClient extends twilio.RequestClient {
  request(options) {
    const uri = new URL(options.uri);
    if (uri.hostname.startsWith('taskrouter.')) {
      uri.protocol = base.protocol;
      uri.host = base.host;
    }
    return super.request({ ...options, uri: uri.toString() });
  }
}

const client = twilio(accountSid, authToken, { httpClient: new SwitchboardRequestClient() });
const taskrouter = client.taskrouter.v1;
const language = process.argv[2] ?? 'en';

const [workspace] = await taskrouter.workspaces.list({ friendlyName: 'Support line' });
if (!workspace) {
  console.error('No "Support line" workspace: start Switchboard with SWITCHBOARD_CONFIG=examples/support-line.yaml.');
  process.exit(1);
}
const support = taskrouter.workspaces(workspace.sid);
const [workflow] = await support.workflows.list({ friendlyName: 'Support routing' });
const task = await support.tasks.create({
  workflowSid: workflow.sid,
  taskChannel: 'voice',
  attributes: JSON.stringify({ language, customer: 'Ada Lovelace', reason: 'billing question' }),
});
const queue = await support.taskQueues(task.taskQueueSid).fetch();
console.log(`Task ${task.sid} (${language}) entered "${queue.friendlyName}".`);

const [reservation] = await support.tasks(task.sid).reservations.list();
if (reservation) {
  console.log(`Offered to ${reservation.workerName} (reservation ${reservation.sid}, ${reservation.reservationStatus}).`);
  console.log(`Accept it from the agent desktop, or with the API: curl -u <Account SID>:<Auth Token> \\`);
  console.log(`  -d ReservationStatus=accepted ${base.origin}/v1/Workspaces/${workspace.sid}/Tasks/${task.sid}/Reservations/${reservation.sid}`);
} else {
  console.log('No agent available yet: it waits in line until one is (set an agent Available in the admin console).');
}
