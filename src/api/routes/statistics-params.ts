import type { Request } from 'express';
import { badRequest } from '../../core/errors.js';
import { isSid } from '../../core/sid.js';
import type { StatisticsWindow } from '../../engine/statistics.js';
import { findChannel, type WorkspaceConfig } from '../../engine/workspace-config.js';
import { pathParam, wireContext, type ApiContext } from '../context.js';
import { minutesBefore } from '../wire/dates.js';
import { TwilioParams } from '../wire/params.js';
import type { WireContext } from '../wire/serialize/index.js';

/** TaskRouter's window when neither Minutes nor StartDate/EndDate is given. */
const DEFAULT_MINUTES = 15;
/** Queues one bulk real-time request may name. */
export const MAX_BULK_QUEUES = 50;

/** A statistics request read: the workspace as it is now, its query, and the task channel asked for. */
export interface StatisticsRequest {
  ctx: WireContext;
  query: TwilioParams;
  channelSid: string | undefined;
}

/** A statistics request that also covers a window of the past. */
export interface CumulativeRequest extends StatisticsRequest {
  window: StatisticsWindow;
  thresholds: number[] | undefined;
}

/** Reads the workspace (404 when unknown) and `TaskChannel`. */
export async function readStatisticsRequest(api: ApiContext, req: Request): Promise<StatisticsRequest> {
  const query = TwilioParams.of(req.query);
  const ctx = await wireContext(api, pathParam(req, 'ws'));
  return { ctx, query, channelSid: readChannel(query, ctx.config) };
}

/** Reads the workspace, `TaskChannel`, the window and `SplitByWaitTime`. */
export async function readCumulativeRequest(api: ApiContext, req: Request): Promise<CumulativeRequest> {
  const request = await readStatisticsRequest(api, req);
  return { ...request, window: readWindow(request.query, request.ctx.now), thresholds: readThresholds(request.query) };
}

/**
 * The window cumulative statistics cover: the last `Minutes` (15 by default), or `StartDate`..`EndDate` (a missing
 * EndDate is now; a missing StartDate is 15 minutes before EndDate), both ends included to the millisecond — an
 * EndDate of 12:00:00 takes in nothing of 12:00:00.5. Minutes cannot be combined with dates, as TaskRouter documents.
 */
export function readWindow(query: TwilioParams, now: number): StatisticsWindow {
  const minutes = query.int('Minutes');
  const start = query.date('StartDate');
  const end = query.date('EndDate');
  if (minutes !== undefined && minutes < 1) throw badRequest('Minutes must be a positive integer');
  if (minutes !== undefined && (start !== undefined || end !== undefined)) throw badRequest('Minutes cannot be combined with StartDate or EndDate');
  if (start !== undefined && end !== undefined && end < start) throw badRequest('EndDate must not be before StartDate');
  if (end !== undefined) return { start: start ?? minutesBefore(end, DEFAULT_MINUTES), end };
  return { start: start ?? minutesBefore(now, minutes ?? DEFAULT_MINUTES), end: now };
}

/** `TaskChannel` (sid or unique name) as a channel sid; 400 when the workspace has no such channel. */
export function readChannel(query: TwilioParams, config: WorkspaceConfig): string | undefined {
  const ref = query.string('TaskChannel');
  if (ref === undefined) return undefined;
  const channel = findChannel(config, ref);
  if (!channel) throw badRequest(`TaskChannel ${ref} does not exist in this workspace`);
  return channel.sid;
}

/** `SplitByWaitTime`: whole seconds, comma-separated or repeated; duplicates collapse as their keys would. */
export function readThresholds(query: TwilioParams): number[] | undefined {
  const items = query.list('SplitByWaitTime');
  if (items === undefined) return undefined;
  if (items.length === 0 || items.some((s) => !/^\d{1,9}$/.test(s))) {
    throw badRequest('SplitByWaitTime must be a comma-separated list of whole seconds, such as 5,30');
  }
  return [...new Set(items.map(Number))];
}

/**
 * The queues a bulk real-time request names: `{"QueueSids": [...]}` (the documented body; `queueSids` as in
 * TaskRouter's own example), also when wrapped in `body` as some helper libraries send it. 1 to 50 TaskQueue sids.
 */
export function readBulkQueueSids(body: unknown): string[] {
  const outer = asObject(body);
  const inner = asObject(outer?.body) ?? outer;
  const raw = inner?.QueueSids ?? inner?.queueSids;
  const sids = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(sids) || sids.length < 1 || sids.length > MAX_BULK_QUEUES) {
    throw badRequest(`QueueSids must list 1 to ${MAX_BULK_QUEUES} TaskQueue SIDs`);
  }
  if (!sids.every((s) => isSid(s, 'WQ'))) throw badRequest('QueueSids must hold TaskQueue SIDs (WQ…)');
  return [...new Set(sids)];
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
