import { Router } from 'express';
import { notFound } from '../../core/errors.js';
import type { WorkspaceInput } from '../../engine/commands.js';
import { committedContext, pathParam, wireContext, type ApiContext } from '../context.js';
import { pageBody, pageSlice, readPageRequest } from '../wire/pagination.js';
import { TwilioParams } from '../wire/params.js';
import { serializeWorkspace } from '../wire/serialize/index.js';
import { sendDeleted, sendRecord } from './respond.js';
import { sendJson } from '../send-json.js';

const QUEUE_ORDERS = ['FIFO', 'LIFO'] as const;
const TEMPLATES = ['NONE', 'FIFO'] as const;

/** `/v1/Workspaces[/{WS}]`. */
export function workspacesRouter(api: ApiContext): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = TwilioParams.of(req.query);
    const friendlyName = query.string('FriendlyName');
    const paging = readPageRequest(req.query);
    let workspaces = await api.engine.store.list('', 'workspace');
    if (friendlyName !== undefined) workspaces = workspaces.filter((w) => w.friendlyName === friendlyName);
    const page = await Promise.all(pageSlice(workspaces, paging).map(async (w) => serializeWorkspace(w, await wireContext(api, w.sid))));
    sendJson(res, 200, pageBody(req, api.publicUrl().replace(/\/+$/, ''), 'workspaces', page, workspaces.length, paging));
  });

  router.post('/', async (req, res) => {
    const body = TwilioParams.of(req.body);
    const input: WorkspaceInput = {
      friendlyName: body.string('FriendlyName'),
      eventCallbackUrl: body.string('EventCallbackUrl'),
      eventsFilter: eventsFilter(body),
      multiTaskEnabled: body.bool('MultiTaskEnabled'),
      template: body.oneOf('Template', TEMPLATES),
      prioritizeQueueOrder: body.oneOf('PrioritizeQueueOrder', QUEUE_ORDERS),
    };
    const workspace = await api.engine.createWorkspace(input);
    sendRecord(res, 201, serializeWorkspace(workspace, await wireContext(api, workspace.sid)), workspace);
  });

  router.get('/:ws', async (req, res) => {
    const ctx = await wireContext(api, pathParam(req, 'ws'));
    sendRecord(res, 200, serializeWorkspace(ctx.config.workspace, ctx), ctx.config.workspace);
  });

  router.post('/:ws', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const body = TwilioParams.of(req.body);
    const input: WorkspaceInput = {
      friendlyName: body.string('FriendlyName'),
      eventCallbackUrl: body.string('EventCallbackUrl'),
      eventsFilter: eventsFilter(body),
      multiTaskEnabled: body.bool('MultiTaskEnabled'),
      prioritizeQueueOrder: body.oneOf('PrioritizeQueueOrder', QUEUE_ORDERS),
      defaultActivitySid: body.string('DefaultActivitySid'),
      timeoutActivitySid: body.string('TimeoutActivitySid'),
    };
    await requireWorkspace(api, ws);
    const workspace = await api.engine.updateWorkspace(ws, input);
    sendRecord(res, 200, serializeWorkspace(workspace, await committedContext(api, ws)), workspace);
  });

  router.delete('/:ws', async (req, res) => {
    const ws = pathParam(req, 'ws');
    await requireWorkspace(api, ws);
    await api.engine.deleteWorkspace(ws);
    sendDeleted(res);
  });

  return router;
}

/** `EventsFilter` is a comma list; repeated keys are folded into one. */
function eventsFilter(body: TwilioParams): string | undefined {
  if (!body.has('EventsFilter')) return undefined;
  return (body.list('EventsFilter') ?? []).join(',');
}

async function requireWorkspace(api: ApiContext, ws: string): Promise<void> {
  const workspace = await api.engine.store.get(ws, 'workspace', ws);
  if (!workspace) throw notFound(`The requested resource /Workspaces/${ws} was not found`);
}
