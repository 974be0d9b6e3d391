import express, { type Express } from 'express';
import type { RoutingEngine } from '../engine/engine.js';
import { apiAuth, type ApiKey } from './auth.js';
import { acceptBodies, FORM, JSON_BODY } from './body-types.js';
import type { ApiContext } from './context.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { mountHealth } from './health.js';
import { mountMetrics, type MetricsExposition } from './metrics-route.js';
import { requestLog } from './request-log.js';
import { activitiesRouter } from './routes/activities.js';
import { mountAgentDesk } from './routes/agent-desk.js';
import { connectorRouter, type ConnectorMount } from './routes/connector.js';
import { connectorMediaTokensRouter, MEDIA_TOKENS_PATH } from './routes/connector-media-tokens.js';
import { eventsRouter } from './routes/events.js';
import { reservationsRouter } from './routes/reservations.js';
import { statisticsRouter } from './routes/statistics.js';
import { taskChannelsRouter } from './routes/task-channels.js';
import { taskQueuesRouter } from './routes/task-queues.js';
import { tasksRouter } from './routes/tasks.js';
import { tokensRouter } from './routes/tokens.js';
import { workerChannelsRouter } from './routes/worker-channels.js';
import { workersRouter } from './routes/workers.js';
import { workflowsRouter } from './routes/workflows.js';
import { workspacesRouter } from './routes/workspaces.js';
import { bridgeRouter, type BridgeSockets } from '../realtime/bridge-router.js';
import { pagesRouter } from '../web/pages-router.js';
import type { BuiltPages } from '../web/built-pages.js';
import type { ConferenceControls } from '../engine/telephony-port.js';

/** What the API needs to run. */
export interface AppOptions {
  engine: RoutingEngine;
  config: {
    /** The HTTP Basic pairs clients authenticate with: the account's, and any API key's. */
    accountSid: string;
    authToken: string;
    apiKeys?: readonly ApiKey[];
    /** The externally visible base URL, read per request. */
    publicUrl: () => string;
  };
  /** The voice connector: its admin API under /v1/Connector and Twilio's webhooks under /webhooks. */
  connector?: ConnectorMount;
  /** The worker SDK's sockets, which its requests tell when a worker's bootstrap is done. */
  workerSockets?: BridgeSockets;
  /** The voice connector's controls of tasks' conferences, for the worker SDK's conference calls. */
  conferenceControls?: ConferenceControls;
  /** The browser pages' bundles; read from dist/web when absent. */
  pages?: BuiltPages | null;
  /** Prometheus figures: every request timed, and served at /metrics to the account's credentials. */
  metrics?: MetricsExposition;
}

/** Workflow configurations may reach ~1 MB; form encoding can triple that. */
const BODY_LIMIT = '4mb';

/** Builds the TaskRouter v1 REST API as an express app. */
export function createApp({ engine, config, connector, workerSockets, conferenceControls, pages, metrics }: AppOptions): Express {
  const app = express();
  // ETags are record versions set by the routes, not body hashes.
  app.set('etag', false);
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestLog());

  if (metrics) {
    app.use(metrics.requestTimer);
    mountMetrics(app, metrics, config);
  }
  mountHealth(app, engine.store);

  const api: ApiContext = { engine, publicUrl: config.publicUrl };
  // The worker SDK's requests carry their own token, not Basic credentials.
  app.use('/v1/wschannels', bridgeRouter(api, { accountSid: config.accountSid, keys: config.apiKeys ?? [] }, workerSockets, conferenceControls));
  // Media tokens serve pages signed in with a TaskRouter token too, so they check their callers themselves.
  if (connector) app.use(MEDIA_TOKENS_PATH, connectorMediaTokensRouter(api, connector.mediaTokens, config));
  // The agent desktop's few routes beyond the worker SDK's, which a worker token reaches (TaskRouter's API refuses it).
  mountAgentDesk(app, '/v1/Workspaces/:ws', api, { credentials: config, conversations: connector?.conversations ?? null });
  const v1 = express.Router();
  v1.use(apiAuth(config));
  const forms = express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 10_000 });
  const workspace = '/Workspaces/:ws';
  // Tasks and reservations first: an application's traffic is mostly theirs, and express tries every router mounted
  // ahead of the one that answers (docs/performance.md, "The REST path"). No statistics path lies under them.
  v1.use(`${workspace}/Tasks/:wt/Reservations`, acceptBodies(FORM), forms, reservationsRouter(api, 'task'));
  v1.use(`${workspace}/Tasks`, acceptBodies(FORM), forms, tasksRouter(api));
  v1.use(`${workspace}/Workers/:wk/Reservations`, acceptBodies(FORM), forms, reservationsRouter(api, 'worker'));
  // TaskRouter's API is form-encoded, but for the bulk real-time statistics of task queues, which twilio-node posts
  // as JSON (the statistics routes parse it themselves); the connector's own resources take both.
  v1.use('/Connector', acceptBodies(FORM, JSON_BODY));
  v1.use('/Workspaces', acceptBodies(FORM, JSON_BODY));
  v1.use(forms);

  v1.use(workspace, statisticsRouter(api));
  v1.use('/Workspaces', acceptBodies(FORM));
  v1.use('/Workspaces', workspacesRouter(api));
  v1.use(`${workspace}/Activities`, activitiesRouter(api));
  v1.use(`${workspace}/TaskChannels`, taskChannelsRouter(api));
  v1.use(`${workspace}/TaskQueues`, taskQueuesRouter(api));
  v1.use(`${workspace}/Workflows`, workflowsRouter(api));
  v1.use(`${workspace}/Workers/:wk/Channels`, workerChannelsRouter(api));
  v1.use(`${workspace}/Workers`, workersRouter(api));
  v1.use(`${workspace}/Events`, eventsRouter(api));
  v1.use(`${workspace}/Tokens`, tokensRouter(api, { accountSid: config.accountSid, signingKey: config.apiKeys?.[0] ?? null }));
  if (connector) v1.use('/Connector', connectorRouter(api, connector));
  app.use('/v1', v1);
  if (connector) app.use('/webhooks', connector.webhooks);
  app.use(pagesRouter(pages));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
