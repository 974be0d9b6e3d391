import { Router } from 'express';
import { badRequest } from '../../core/errors.js';
import { AGENT_AUDIO_PATH, LISTEN_PATH } from '../../connector/media/media-paths.js';
import { issueMediaToken, type MediaGrant } from '../../connector/media/media-token.js';
import type { ApiContext } from '../context.js';
import { TwilioParams } from '../wire/params.js';

/** What media tokens are signed with, and where their sockets connect. */
export interface MediaTokenSettings {
  accountSid: string;
  authToken: string;
  /** The media WebSocket base URL. */
  baseUrl: () => string;
}

const DEFAULT_TTL = 3600;
const MAX_TTL = 86_400;
const IDENTITY = /^[A-Za-z0-9_.@-]{1,121}$/;

/**
 * `POST /v1/Connector/MediaTokens` — a token for a browser's media WebSocket, which cannot carry Basic auth:
 * `Identity` for a browser agent's audio (`/v1/Connector/AgentAudio`), or `TaskSid` for a supervisor listening to
 * that task's call (`/v1/Connector/Listen`); `Ttl` in seconds. Returns `{token, ttl, identity, task_sid, url}`,
 * `url` being the socket's URL with the token.
 */
export function connectorMediaTokensRouter(api: ApiContext, settings: MediaTokenSettings): Router {
  const router = Router();
  router.post('/', (req, res) => {
    const body = TwilioParams.of(req.body);
    const ttl = body.int('Ttl') ?? DEFAULT_TTL;
    if (ttl < 60 || ttl > MAX_TTL) throw badRequest(`Ttl must be between 60 and ${MAX_TTL} seconds`);
    const identity = body.string('Identity');
    const taskSid = body.string('TaskSid');
    if ((identity === undefined) === (taskSid === undefined)) throw badRequest('Identity (a browser agent) or TaskSid (listening to a call) is required, not both');
    if (identity !== undefined && !IDENTITY.test(identity)) throw badRequest(`Identity must be 1 to 121 letters, digits or _.@- characters, got '${identity}'`);
    if (taskSid !== undefined && !/^WT[0-9a-fA-F]{32}$/.test(taskSid)) throw badRequest(`TaskSid must be a Task SID (WT…), got '${taskSid}'`);
    const grant: MediaGrant = identity !== undefined ? { scope: 'agent', identity } : { scope: 'listen', taskSid: taskSid! };
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
