import { Router } from 'express';
import type { ApiContext } from '../context.js';
import { queueStatisticsRouter } from './statistics-queues.js';
import { workerStatisticsRouter } from './statistics-workers.js';
import { workflowStatisticsRouter } from './statistics-workflows.js';
import { workspaceStatisticsRouter } from './statistics-workspace.js';

/**
 * Every statistics resource of a workspace, mounted at `/v1/Workspaces/{WS}`. It goes ahead of the resource routers,
 * whose `/{Sid}` routes would otherwise take `Statistics` and `RealTimeStatistics` for sids, and ahead of the check
 * that TaskRouter bodies are forms: the bulk real-time statistics take JSON.
 */
export function statisticsRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });
  router.use(workspaceStatisticsRouter(api));
  router.use('/TaskQueues', queueStatisticsRouter(api));
  router.use('/Workflows', workflowStatisticsRouter(api));
  router.use('/Workers', workerStatisticsRouter(api));
  return router;
}
