import { Router } from 'express';
import { badRequest } from '../../core/errors.js';
import { isSid } from '../../core/sid.js';
import { AGENT_AUDIO_PATH, LISTEN_PATH } from '../../connector/media/media-paths.js';
import { issueMediaToken, type MediaGrant } from '../../connector/media/media-token.js';
import { DEFAULT_TOKEN_TTL, isAgentIdentity, MAX_TOKEN_TTL } from '../../connector/voice-token.js';
import type { ApiContext } from '../context.js';
import { TwilioParams } from '../wire/params.js';

/** What media tokens are signed with, and where their sockets connect. */
export interface MediaTokenSettings {
  accountSid: string;
  authToken: string;
  /** The media WebSocket base URL. */
  baseUrl: () => string;
}

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
    const ttl = body.int('Ttl') ?? DEFAULT_TOKEN_TTL;
    if (ttl < 60 || ttl > MAX_TOKEN_TTL) throw badRequest(`Ttl must be between 60 and ${MAX_TOKEN_TTL} seconds`);
    const identity = body.string('Identity');
    const taskSid = body.string('TaskSid');
    if ((identity === undefined) === (taskSid === undefined))
      throw badRequest('Identity (a browser agent) or TaskSid (listening to a call) is required, not both');
    if (identity !== undefined && !isAgentIdentity(identity))
      throw badRequest(`Identity must be 1 to 121 letters, digits or _.@- characters, got '${identity}'`);
    if (taskSid !== undefined && !isSid(taskSid, 'WT')) throw badRequest(`TaskSid must be a Task SID (WT…), got '${taskSid}'`);
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
