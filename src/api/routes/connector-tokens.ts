import { Router } from 'express';
import { badRequest, notFound } from '../../core/errors.js';
import { DEFAULT_TOKEN_TTL, issueVoiceToken, MAX_TOKEN_TTL, type VoiceTokenSettings } from '../../connector/voice-token.js';
import { attributesOf } from '../../connector/task-attributes.js';
import type { ApiContext } from '../context.js';
import { TwilioParams } from '../wire/params.js';

/**
 * `POST /v1/Connector/Tokens` — a Voice SDK token for an agent: `Identity`, or `WorkerSid` (with `WorkspaceSid`),
 * whose `contact_uri` attribute `client:<identity>` names the identity agent legs are placed to. `Ttl` in seconds.
 */
export function connectorTokensRouter(api: ApiContext, settings: VoiceTokenSettings): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const body = TwilioParams.of(req.body);
    const ttl = body.int('Ttl') ?? DEFAULT_TOKEN_TTL;
    if (ttl < 60 || ttl > MAX_TOKEN_TTL) throw badRequest(`Ttl must be between 60 and ${MAX_TOKEN_TTL} seconds`);
    const identity = body.string('Identity') ?? (await workerIdentity(api, body.string('WorkspaceSid'), body.string('WorkerSid')));
    res.status(201).json(issueVoiceToken(settings, identity, ttl));
  });
  return router;
}

async function workerIdentity(api: ApiContext, ws: string | undefined, workerSid: string | undefined): Promise<string> {
  if (!workerSid) throw badRequest('Identity or WorkerSid is required');
  if (!ws) throw badRequest('WorkspaceSid is required with WorkerSid');
  const worker = await api.engine.store.get(ws, 'worker', workerSid);
  if (!worker) throw notFound(`The requested resource /Workspaces/${ws}/Workers/${workerSid} was not found`);
  const contact = attributesOf(worker).contact_uri;
  if (typeof contact !== 'string' || !contact.startsWith('client:')) {
    throw badRequest(`Worker ${workerSid} has no contact_uri attribute of the form client:<identity>`);
  }
  return contact.slice('client:'.length);
}
