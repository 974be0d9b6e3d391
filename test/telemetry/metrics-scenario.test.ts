import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothStores } from '../helpers/both-stores.js';
import { statisticsFixture, type StatisticsFixture } from '../statistics/fixture.js';
import { runScenario, type Scenario } from '../statistics/scenario.js';
import { basic, scrape, total, type Sample } from './metrics-exposition.js';

const STORES = bothStores('metrics-scenario');
const SID_VALUE = /^(WT|WK|WR)[0-9a-f]{32}$/;

describe.each(STORES)('Prometheus figures after a scripted day match the statistics API (%s store)', (_name, makeStore) => {
  let f: StatisticsFixture;
  let s: Scenario;
  let samples: Sample[];
  const scrapeNow = async () => (samples = await scrape(`${f.server.url}/metrics`, basic(f.server.accountSid, f.server.authToken)));
  const inWorkspace = () => ({ workspace_sid: f.ws.sid });
  const inQueue = (queueSid: string) => ({ workspace_sid: f.ws.sid, task_queue_sid: queueSid });

  beforeAll(async () => {
    // The statistics tests' scripted day, on a server that serves /metrics.
    f = await statisticsFixture(makeStore, { metrics: true });
    s = await runScenario(f);
    await scrapeNow();
  });
  afterAll(() => f.close());

  it("queues' tasks by status and channel, waiting tasks, longest waits and eligible workers are the real-time statistics", async () => {
    const sms = (await f.api.taskChannels('sms').fetch()).uniqueName;
    for (const queueSid of Object.values(s.queues)) {
      const rt = await f.api.taskQueues(queueSid).realTimeStatistics().fetch();
      const byStatus = rt.tasksByStatus as Record<string, number>;
      for (const [status, count] of Object.entries(byStatus))
        expect(total(samples, 'switchboard_queue_tasks', { ...inQueue(queueSid), status }), status).toBe(count);
      expect(total(samples, 'switchboard_queue_tasks_waiting', inQueue(queueSid))).toBe(byStatus.pending! + byStatus.reserved!);
      expect(total(samples, 'switchboard_queue_longest_wait_seconds', inQueue(queueSid))).toBe(rt.longestTaskWaitingAge);
      expect(total(samples, 'switchboard_queue_longest_wait_in_queue_seconds', inQueue(queueSid))).toBe(rt.longestRelativeTaskAgeInQueue);
      expect(total(samples, 'switchboard_queue_workers_eligible', inQueue(queueSid))).toBe(rt.totalEligibleWorkers);
      expect(total(samples, 'switchboard_queue_workers_available', inQueue(queueSid))).toBe(rt.totalAvailableWorkers);

      const smsOnly = (await f.api.taskQueues(queueSid).realTimeStatistics().fetch({ taskChannel: 'sms' })).tasksByStatus as Record<string, number>;
      for (const [status, count] of Object.entries(smsOnly)) {
        expect(total(samples, 'switchboard_queue_tasks', { ...inQueue(queueSid), task_channel: sms, status })).toBe(count);
      }
    }
    // The script leaves tasks waiting in Support (T9 offered to bob) and Escalations (T8), so the figures compared are not all zeros.
    expect(total(samples, 'switchboard_queue_tasks_waiting', inWorkspace())).toBe(2);
    expect(total(samples, 'switchboard_queue_longest_wait_seconds', inQueue(s.queues.escalations))).toBe(40);
  });

  it('workers by activity are the workspace real-time statistics', async () => {
    const rt = await f.api.workers.realTimeStatistics().fetch();
    for (const a of rt.activityStatistics as Array<{ friendly_name: string; sid: string; workers: number }>) {
      expect(total(samples, 'switchboard_workers', { ...inWorkspace(), activity_sid: a.sid, activity: a.friendly_name })).toBe(a.workers);
    }
    expect(total(samples, 'switchboard_workers', { ...inWorkspace(), available: 'true' })).toBe(1);
  });

  it("reservations by outcome, tasks ended and waits are the workspace's and each queue's cumulative statistics", async () => {
    const c = await f.api.cumulativeStatistics().fetch({ splitByWaitTime: '30' });
    const outcomes = {
      accepted: c.reservationsAccepted,
      rejected: c.reservationsRejected,
      timeout: c.reservationsTimedOut,
      canceled: c.reservationsCanceled,
      rescinded: c.reservationsRescinded,
    };
    for (const [outcome, count] of Object.entries(outcomes))
      expect(total(samples, 'switchboard_reservations_total', { ...inWorkspace(), outcome }), outcome).toBe(count);
    expect(total(samples, 'switchboard_reservations_created_total', inWorkspace())).toBe(c.reservationsCreated);
    expect(total(samples, 'switchboard_tasks_ended_total', { ...inWorkspace(), outcome: 'completed' })).toBe(c.tasksCompleted);
    expect(total(samples, 'switchboard_tasks_ended_total', { ...inWorkspace(), outcome: 'canceled' })).toBe(c.tasksCanceled);
    expect(total(samples, 'switchboard_tasks_ended_total', { ...inWorkspace(), outcome: 'deleted' })).toBe(c.tasksDeleted);

    // The wait histogram: as many waits as acceptances, summing to the total wait, split at 30 s as the API splits.
    const wait = c.waitDurationUntilAccepted as { total: number };
    const split = c.splitByWaitTime as Record<string, { below: { reservations_accepted: number; tasks_canceled: number } }>;
    expect(total(samples, 'switchboard_task_wait_seconds_count', inWorkspace())).toBe(c.reservationsAccepted);
    expect(total(samples, 'switchboard_task_wait_seconds_sum', inWorkspace())).toBe(wait.total);
    expect(total(samples, 'switchboard_task_wait_seconds_bucket', { ...inWorkspace(), le: '30' })).toBe(split['30']!.below.reservations_accepted);
    const abandoned = c.waitDurationUntilCanceled as { total: number };
    expect(total(samples, 'switchboard_task_abandoned_wait_seconds_count', inWorkspace())).toBe(c.tasksCanceled);
    expect(total(samples, 'switchboard_task_abandoned_wait_seconds_sum', inWorkspace())).toBe(abandoned.total);
    expect(total(samples, 'switchboard_task_abandoned_wait_seconds_bucket', { ...inWorkspace(), le: '30' })).toBe(split['30']!.below.tasks_canceled);

    for (const queueSid of Object.values(s.queues)) {
      const q = await f.api.taskQueues(queueSid).cumulativeStatistics().fetch();
      const byOutcome = {
        accepted: q.reservationsAccepted,
        rejected: q.reservationsRejected,
        timeout: q.reservationsTimedOut,
        canceled: q.reservationsCanceled,
        rescinded: q.reservationsRescinded,
      };
      for (const [outcome, count] of Object.entries(byOutcome))
        expect(total(samples, 'switchboard_reservations_total', { ...inQueue(queueSid), outcome })).toBe(count);
      expect(total(samples, 'switchboard_tasks_entered_total', inQueue(queueSid))).toBe(q.tasksEntered);
      expect(total(samples, 'switchboard_tasks_ended_total', { ...inQueue(queueSid), outcome: 'canceled' })).toBe(q.tasksCanceled);
      expect(total(samples, 'switchboard_task_wait_seconds_sum', inQueue(queueSid))).toBe((q.waitDurationUntilAccepted as { total: number }).total);
    }
  });

  it('handle time runs from acceptance to wrap-up (or completion), wrap-up time from wrap-up to completion', async () => {
    // T5: accepted at t=120, completed at t=140 with no wrap-up. T2: accepted at t=150, wrapping at t=160.
    expect(total(samples, 'switchboard_task_handle_seconds_count', inWorkspace())).toBe(2);
    expect(total(samples, 'switchboard_task_handle_seconds_sum', inWorkspace())).toBe(30);
    expect(total(samples, 'switchboard_task_wrapup_seconds_count', inWorkspace())).toBe(0);
    await f.elapse(15);
    await f.api.tasks(s.tasks.t2).update({ assignmentStatus: 'completed', reason: 'done' });
    await scrapeNow();
    expect(total(samples, 'switchboard_task_wrapup_seconds_count', inQueue(s.queues.support))).toBe(1);
    // Wrapping since t=160, completed at t=215.
    expect(total(samples, 'switchboard_task_wrapup_seconds_sum', inQueue(s.queues.support))).toBe(55);
    expect(total(samples, 'switchboard_task_handle_seconds_count', inWorkspace())).toBe(2);
    expect(total(samples, 'switchboard_tasks_ended_total', { ...inWorkspace(), outcome: 'completed' })).toBe(2);
  });

  it('labels name workspaces, queues, channels and activities, never a task, reservation or worker', () => {
    expect(samples.length).toBeGreaterThan(100);
    for (const sample of samples) {
      for (const [label, value] of Object.entries(sample.labels)) {
        expect(label).not.toMatch(/^(task|worker|reservation)_sid$/);
        expect(value, `${sample.name} ${label}`).not.toMatch(SID_VALUE);
      }
    }
    const labelled = samples.find((x) => x.name === 'switchboard_reservations_total' && x.labels.task_queue_sid === s.queues.sales);
    expect(labelled?.labels).toMatchObject({ workspace: f.ws.friendlyName, task_queue: 'Sales', task_channel: 'default' });
  });

  it('times each request under its route template', async () => {
    await f.api.tasks(s.tasks.t9).fetch();
    await scrapeNow();
    const route = `/v1/Workspaces/:ws/Tasks/:wt`;
    const line = samples.find((x) => x.name === 'http_server_request_duration_seconds_count' && x.labels.http_route === route);
    expect(line, JSON.stringify([...new Set(samples.map((x) => x.labels.http_route).filter(Boolean))])).toBeDefined();
    expect(line!.labels).toMatchObject({ http_request_method: 'GET', http_response_status_code: '200' });
  });
});
