import express, { Router } from 'express';
import type { TokenScope } from '../../access/token-scope.js';
import { badRequest, forbidden } from '../../core/errors.js';
import { isSid } from '../../core/sid.js';
import { AGENT_AUDIO_PATH, LISTEN_PATH } from '../../connector/media/media-paths.js';
import { issueMediaToken, type MediaGrant } from '../../connector/media/media-token.js';
import { attributesOf } from '../../connector/task-attributes.js';
import { DEFAULT_TOKEN_TTL, isAgentIdentity, MAX_TOKEN_TTL } from '../../connector/voice-token.js';
import { callerAuth, callerOf, type Credentials } from '../auth.js';
import { acceptBodies, FORM, JSON_BODY } from '../body-types.js';
import type { ApiContext } from '../context.js';
import { TwilioParams } from '../wire/params.js';

/** What media tokens are signed with, and where their sockets connect. */
export interface MediaTokenSettings {
  accountSid: string;
  authToken: string;
  /** The media WebSocket base URL. */
  baseUrl: () => string;
}

/** Where the route is mounted: ahead of the API, as it also serves pages signed in with a TaskRouter token. */
export const MEDIA_TOKENS_PATH = '/v1/Connector/MediaTokens';

/**
 * `POST /v1/Connector/MediaTokens` — a token for a browser's media WebSocket, which cannot carry Basic auth:
 * `Identity` for a browser agent's audio (`/v1/Connector/AgentAudio`), or `TaskSid` for a supervisor listening to
 * that task's call (`/v1/Connector/Listen`); `Ttl` in seconds. Returns `{token, ttl, identity, task_sid, url}`,
 * `url` being the socket's URL with the token.
 *
 * The account (Basic) may ask for any. A page signed in with a TaskRouter token (`Bearer`) may too, within its
 * token: a worker token only its own audio (the identity of its worker's `contact_uri` `stream:<identity>`, which
 * `Identity` may leave out), an admin token only listening to a task of its workspace. Anything else is a 403.
 */
export function connectorMediaTokensRouter(api: ApiContext, settings: MediaTokenSettings, credentials: Credentials): Router {
  const router = Router();
  router.use(
    callerAuth(credentials, () => api.engine.clock.now()),
    acceptBodies(FORM, JSON_BODY),
    express.urlencoded({ extended: true }),
    express.json(),
  );
  router.post('/', async (req, res) => {
    const body = TwilioParams.of(req.body);
    const ttl = body.int('Ttl') ?? DEFAULT_TOKEN_TTL;
    if (ttl < 60 || ttl > MAX_TOKEN_TTL) throw badRequest(`Ttl must be between 60 and ${MAX_TOKEN_TTL} seconds`);
    const caller = callerOf(res);
    const scope = caller.kind === 'token' ? caller.scope : null;
    const taskSid = body.string('TaskSid');
    const identity = body.string('Identity') ?? (scope && !scope.isAdmin && taskSid === undefined ? await ownIdentity(api, scope) : undefined);
    if ((identity === undefined) === (taskSid === undefined))
      throw badRequest('Identity (a browser agent) or TaskSid (listening to a call) is required, not both');
    if (identity !== undefined && !isAgentIdentity(identity))
      throw badRequest(`Identity must be 1 to 121 letters, digits or _.@- characters, got '${identity}'`);
    if (taskSid !== undefined && !isSid(taskSid, 'WT')) throw badRequest(`TaskSid must be a Task SID (WT…), got '${taskSid}'`);
    const grant: MediaGrant = identity !== undefined ? { scope: 'agent', identity } : { scope: 'listen', taskSid: taskSid! };
    if (scope) await allowed(api, scope, grant);
    const token = issueMediaToken(settings.authToken, settings.accountSid, grant, ttl, api.engine.clock.now());
    const query = new URLSearchParams(grant.scope === 'agent' ? { Identity: grant.identity, Token: token } : { TaskSid: grant.taskSid, Token: token });
    const path = grant.scope === 'agent' ? AGENT_AUDIO_PATH : LISTEN_PATH;
    res.status(201).json({
      token,
      ttl,
      identity: identity ?? null,
      task_sid: taskSid ?? null,
      url: `${settings.baseUrl()}${path}?${query.toString()}`,
    });
  });
  return router;
}

/** A TaskRouter token's holder may have a media token only within what the token reaches (403 otherwise). */
async function allowed(api: ApiContext, scope: TokenScope, grant: MediaGrant): Promise<void> {
  if (grant.scope === 'agent') {
    if (scope.isAdmin) throw forbidden("An admin token may listen to its workspace's calls, not take them: use a worker token");
    const own = await ownIdentity(api, scope);
    if (grant.identity !== own) throw forbidden(`This token may take calls as '${own}' only, not as '${grant.identity}'`);
    return;
  }
  if (!scope.isAdmin) throw forbidden('Listening to calls needs a token with the admin role');
  const workspaceSid = scope.claims.workspaceSid;
  if (!(await api.engine.store.get(workspaceSid, 'task', grant.taskSid))) throw forbidden(`Task ${grant.taskSid} is not a task of workspace ${workspaceSid}`);
}

/** The browser agent a worker token's worker is: the identity of its `contact_uri` `stream:<identity>`. */
async function ownIdentity(api: ApiContext, scope: TokenScope): Promise<string> {
  const { workspaceSid, workerSid } = scope.claims;
  const worker = workerSid ? await api.engine.store.get(workspaceSid, 'worker', workerSid) : null;
  const contact = worker ? attributesOf(worker).contact_uri : undefined;
  const identity = typeof contact === 'string' && contact.startsWith('stream:') ? contact.slice('stream:'.length) : null;
  if (!identity || !isAgentIdentity(identity))
    throw forbidden(`Worker ${workerSid ?? '(none)'} takes no calls in a browser: its contact_uri is not stream:<identity>`);
  return identity;
}
