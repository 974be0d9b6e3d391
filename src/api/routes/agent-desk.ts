import express, { type Router } from 'express';
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
 * directory, and the SMS conversation of a task it holds. Mounted on `app` at `prefix` (with its `:ws`) before
 * TaskRouter's API (which refuses worker tokens), each at its own path so that no other request enters them; each
 * route authenticates (Basic pair or Bearer token) and checks the token's scope itself.
 */
export function mountAgentDesk(app: Router, prefix: string, api: ApiContext, options: AgentDeskOptions): void {
  const auth = callerAuth(options.credentials);
  const form = [acceptBodies(FORM), express.urlencoded({ extended: false, limit: '64kb' })];
  app.use(
    `${prefix}/Tokens/Renew`,
    auth,
    ...form,
    tokenRenewalRouter(api, { accountSid: options.credentials.accountSid, signingKey: options.credentials.apiKeys?.[0] ?? null }),
  );
  app.use(`${prefix}/Directory`, auth, agentDirectoryRouter(api));
  app.use(`${prefix}/Tasks/:wt/Conversation`, auth, ...form, agentConversationRouter(api, options.conversations));
}
