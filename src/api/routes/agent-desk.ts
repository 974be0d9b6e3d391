import express, { Router } from 'express';
import type { Conversations } from '../../connector/sms/conversations.js';
import { callerAuth, type Credentials } from '../auth.js';
import { acceptBodies, FORM } from '../body-types.js';
import type { ApiContext } from '../context.js';
import { agentConversationRouter } from './agent-conversation.js';
import { agentDirectoryRouter } from './agent-directory.js';
import { tokenRenewalRouter } from './agent-token-renewal.js';

/** What the agent desktop's routes need beyond the API: who may call (and who signs tokens), SMS conversations. */
export interface AgentDeskOptions {
  /** The Basic pairs, and the API keys that verify tokens; the first key signs renewed ones. */
  credentials: Credentials;
  conversations: Conversations | null;
}

/**
 * The routes an agent's page reaches with its worker token, under `/v1/Workspaces/{WS}`: token renewal, the transfer
 * directory, and the SMS conversation of a task it holds. Mounted before TaskRouter's API (which refuses worker
 * tokens); each route authenticates (Basic pair or Bearer token) and checks the token's scope itself, and any other
 * path falls through to the API.
 */
export function agentDeskRouter(api: ApiContext, options: AgentDeskOptions): Router {
  const router = Router({ mergeParams: true });
  const auth = callerAuth(options.credentials);
  const form = [acceptBodies(FORM), express.urlencoded({ extended: false, limit: '64kb' })];
  router.use(
    '/Tokens/Renew',
    auth,
    ...form,
    tokenRenewalRouter(api, { accountSid: options.credentials.accountSid, signingKey: options.credentials.apiKeys?.[0] ?? null }),
  );
  router.use('/Directory', auth, agentDirectoryRouter(api));
  router.use('/Tasks/:wt/Conversation', auth, ...form, agentConversationRouter(api, options.conversations));
  return router;
}
