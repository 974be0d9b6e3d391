import { Router } from 'express';
import { callerOf } from '../auth.js';
import { pathParam, wireContext, type ApiContext } from '../context.js';

/**
 * `GET /v1/Workspaces/{WS}/Directory` — who and where an agent may transfer a task to: the workspace's workers
 * (sid, name, activity, availability) and task queues (sid, name), for any token of that workspace, a worker's
 * included (which TaskRouter's Workers and TaskQueues lists refuse). Nothing else about them is shown: no
 * attributes, no statistics.
 */
export function agentDirectoryRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });
  router.get('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const caller = callerOf(res);
    if (caller.kind === 'token') caller.scope.workspace(ws);
    const { config } = await wireContext(api, ws);
    const workers = await api.engine.store.list(ws, 'worker');
    const byName = (a: { friendlyName: string }, b: { friendlyName: string }) => a.friendlyName.localeCompare(b.friendlyName);
    res.status(200).json({
      workspace_sid: ws,
      workers: workers.sort(byName).map((w) => {
        const activity = config.activities.get(w.activitySid);
        return { sid: w.sid, friendly_name: w.friendlyName, activity_name: activity?.friendlyName ?? null, available: activity?.available ?? false };
      }),
      task_queues: [...config.queues.values()].sort(byName).map((q) => ({ sid: q.sid, friendly_name: q.friendlyName })),
    });
  });
  return router;
}
