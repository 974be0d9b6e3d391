import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { raw } from '../helpers/http.js';
import { statisticsFixture, type StatisticsFixture } from './fixture.js';
import { runScenario, type Scenario } from './scenario.js';

/**
 * Every statistics resource, read through the twilio client after the scripted day in scenario.ts. Each expected
 * figure is worked out by hand from the script's timeline (see the comments next to them), never by our code.
 */
export function statisticsCases(makeStore: () => Promise<RoutingStore>): void {
  describe('after the scripted day (t=200)', () => {
    let f: StatisticsFixture;
    let s: Scenario;
    beforeAll(async () => {
      f = await statisticsFixture(makeStore);
      s = await runScenario(f);
    });
    afterAll(async () => f.close());

    const names = () => ({ [s.activities.offline]: 'Offline', [s.activities.available]: 'Available', [s.activities.unavailable]: 'Unavailable' });
    /** activity_statistics as name → workers, after checking each entry's sid and name belong together. */
    const workersByActivity = (list: Array<{ sid: string; friendly_name: string; workers: number }>) => {
      expect(list).toHaveLength(3);
      for (const a of list) expect(names()[a.sid]).toBe(a.friendly_name);
      return Object.fromEntries(list.map((a) => [a.friendly_name, a.workers]));
    };
    /** activity_durations as name → {avg, min, max, total}, after the same check. */
    const durationsByActivity = (list: Array<{ sid: string; friendly_name: string; avg: number; min: number; max: number; total: number }>) => {
      expect(list).toHaveLength(3);
      for (const a of list) expect(names()[a.sid]).toBe(a.friendly_name);
      return Object.fromEntries(list.map((a) => [a.friendly_name, { avg: a.avg, min: a.min, max: a.max, total: a.total }]));
    };
    const statuses = (pending: number, reserved: number, assigned: number, wrapping: number, completed: number, canceled: number) => ({
      pending,
      reserved,
      assigned,
      wrapping,
      completed,
      canceled,
    });
    const d = (avg: number, min: number, max: number, total: number) => ({ avg, min, max, total });
    const NONE = d(0, 0, 0, 0);

    it('workspace real-time: tasks by status and priority, the longest waiting task, workers by activity', async () => {
      const rt = await f.api.realTimeStatistics().fetch();
      // T8 pending, T9 reserved, T1 assigned, T2 wrapping, T5 completed, T3 T4 T6 canceled; T7 deleted.
      expect(rt.tasksByStatus).toEqual(statuses(1, 1, 1, 1, 1, 3));
      expect(rt.totalTasks).toBe(8);
      expect(rt.tasksByPriority).toEqual({ '7': 1, '4': 1 });
      // T8 (created t=160) has waited longer than T9 (t=170).
      expect([rt.longestTaskWaitingSid, rt.longestTaskWaitingAge]).toEqual([s.tasks.t8, 40]);
      // alice, carol and dave Unavailable; bob Available since t=180.
      expect(workersByActivity(rt.activityStatistics)).toEqual({ Offline: 0, Available: 1, Unavailable: 3 });
      expect(rt.totalWorkers).toBe(4);
      expect([rt.workspaceSid, rt.accountSid]).toEqual([f.ws.sid, f.server.accountSid]);
      expect(rt.url).toBe(`${f.server.url}/v1/Workspaces/${f.ws.sid}/RealTimeStatistics`);
    });

    it('TaskChannel narrows task figures, by unique name or sid, and leaves worker figures whole', async () => {
      const sms = await f.api.realTimeStatistics().fetch({ taskChannel: 'sms' });
      // sms: T2 wrapping, T5 completed, T8 pending.
      expect(sms.tasksByStatus).toEqual(statuses(1, 0, 0, 1, 1, 0));
      expect(sms.totalTasks).toBe(3);
      expect(sms.tasksByPriority).toEqual({ '7': 1 });
      expect([sms.longestTaskWaitingSid, sms.longestTaskWaitingAge]).toEqual([s.tasks.t8, 40]);
      expect(sms.totalWorkers).toBe(4);

      const defaultSid = (await f.api.taskChannels('default').fetch()).sid;
      const byName = await f.api.realTimeStatistics().fetch({ taskChannel: 'default' });
      const bySid = await f.api.realTimeStatistics().fetch({ taskChannel: defaultSid });
      // default: T9 reserved, T1 assigned, T3 T4 T6 canceled; the oldest waiting one is T9, not T8.
      for (const rt of [byName, bySid]) {
        expect(rt.tasksByStatus).toEqual(statuses(0, 1, 1, 0, 0, 3));
        expect(rt.totalTasks).toBe(5);
        expect(rt.tasksByPriority).toEqual({ '4': 1 });
        expect([rt.longestTaskWaitingSid, rt.longestTaskWaitingAge]).toEqual([s.tasks.t9, 30]);
      }
    });

    it('queue real-time: its tasks, its eligible and available workers, ages from creation and from entry', async () => {
      const support = await f.api.taskQueues(s.queues.support).realTimeStatistics().fetch();
      // Support holds T9 reserved, T2 wrapping, T5 completed, T3 T4 canceled.
      expect(support.tasksByStatus).toEqual(statuses(0, 1, 0, 1, 1, 2));
      expect(support.totalTasks).toBe(5);
      expect(support.tasksByPriority).toEqual({ '4': 1 });
      expect([support.longestTaskWaitingSid, support.longestTaskWaitingAge]).toEqual([s.tasks.t9, 30]);
      expect([support.longestRelativeTaskSidInQueue, support.longestRelativeTaskAgeInQueue]).toEqual([s.tasks.t9, 30]);
      // bob (Available) and carol (Unavailable).
      expect([support.totalEligibleWorkers, support.totalAvailableWorkers]).toEqual([2, 1]);
      expect(workersByActivity(support.activityStatistics)).toEqual({ Offline: 0, Available: 1, Unavailable: 1 });
      expect(support.taskQueueSid).toBe(s.queues.support);

      const sales = await f.api.taskQueues(s.queues.sales).realTimeStatistics().fetch();
      // T1 assigned; T2 left for Support. alice (Unavailable) and bob (Available).
      expect(sales.tasksByStatus).toEqual(statuses(0, 0, 1, 0, 0, 0));
      expect(sales.tasksByPriority).toEqual({});
      expect([sales.longestTaskWaitingSid, sales.longestTaskWaitingAge]).toEqual([null, 0]);
      expect([sales.longestRelativeTaskSidInQueue, sales.longestRelativeTaskAgeInQueue]).toEqual([null, 0]);
      expect([sales.totalEligibleWorkers, sales.totalAvailableWorkers]).toEqual([2, 1]);
      expect(workersByActivity(sales.activityStatistics)).toEqual({ Offline: 0, Available: 1, Unavailable: 1 });

      const escalations = await f.api.taskQueues(s.queues.escalations).realTimeStatistics().fetch();
      // T8 pending (entered t=160), T6 canceled; nobody has the skill.
      expect(escalations.tasksByStatus).toEqual(statuses(1, 0, 0, 0, 0, 1));
      expect(escalations.tasksByPriority).toEqual({ '7': 1 });
      expect([escalations.longestRelativeTaskSidInQueue, escalations.longestRelativeTaskAgeInQueue]).toEqual([s.tasks.t8, 40]);
      expect([escalations.totalEligibleWorkers, escalations.totalAvailableWorkers]).toEqual([0, 0]);
      expect(workersByActivity(escalations.activityStatistics)).toEqual({ Offline: 0, Available: 0, Unavailable: 0 });
    });

    it('queue real-time narrowed to a channel: task figures only', async () => {
      const sms = await f.api.taskQueues(s.queues.support).realTimeStatistics().fetch({ taskChannel: 'sms' });
      // Support on sms: T2 wrapping, T5 completed; nothing waits.
      expect(sms.tasksByStatus).toEqual(statuses(0, 0, 0, 1, 1, 0));
      expect(sms.totalTasks).toBe(2);
      expect([sms.longestTaskWaitingSid, sms.longestRelativeTaskSidInQueue]).toEqual([null, null]);
      expect([sms.totalEligibleWorkers, sms.totalAvailableWorkers]).toEqual([2, 1]);
    });

    it('workflow real-time', async () => {
      const main = await f.api.workflows(s.workflows.main).realTimeStatistics().fetch();
      // Main: T9 reserved, T1 assigned, T2 wrapping, T5 completed, T3 T4 canceled.
      expect(main.tasksByStatus).toEqual(statuses(0, 1, 1, 1, 1, 2));
      expect(main.totalTasks).toBe(6);
      expect(main.tasksByPriority).toEqual({ '4': 1 });
      expect([main.longestTaskWaitingSid, main.longestTaskWaitingAge]).toEqual([s.tasks.t9, 30]);
      expect(main.workflowSid).toBe(s.workflows.main);

      const mainDefault = await f.api.workflows(s.workflows.main).realTimeStatistics().fetch({ taskChannel: 'default' });
      expect(mainDefault.tasksByStatus).toEqual(statuses(0, 1, 1, 0, 0, 2));

      const callbacks = await f.api.workflows(s.workflows.callbacks).realTimeStatistics().fetch();
      // Callbacks: T8 pending, T6 canceled.
      expect(callbacks.tasksByStatus).toEqual(statuses(1, 0, 0, 0, 0, 1));
      expect([callbacks.longestTaskWaitingSid, callbacks.longestTaskWaitingAge]).toEqual([s.tasks.t8, 40]);
    });

    it('bulk queue real-time: each named queue, and zeros for a well-formed sid of no queue', async () => {
      const stranger = 'WQ' + 'ab'.repeat(16);
      const bulk = await f.api.taskQueues.bulkRealTimeStatistics.create({ QueueSids: [s.queues.support, s.queues.sales, stranger] });
      expect(bulk.taskQueueResponseCount).toBe(3);
      expect(bulk.url).toBe(`${f.server.url}/v1/Workspaces/${f.ws.sid}/TaskQueues/RealTimeStatistics`);
      const [support, sales, none] = bulk.taskQueueData;
      expect(support).toMatchObject({
        task_queue_sid: s.queues.support,
        total_tasks: 5,
        total_eligible_workers: 2,
        total_available_workers: 1,
        longest_task_waiting_sid: s.tasks.t9,
        longest_task_waiting_age: 30,
        tasks_by_priority: { '4': 1 },
        tasks_by_status: statuses(0, 1, 0, 1, 1, 2),
      });
      expect(workersByActivity(support.activity_statistics)).toEqual({ Offline: 0, Available: 1, Unavailable: 1 });
      expect(sales).toMatchObject({ task_queue_sid: s.queues.sales, total_tasks: 1, tasks_by_status: statuses(0, 0, 1, 0, 0, 0) });
      expect(none).toMatchObject({
        task_queue_sid: stranger,
        total_tasks: 0,
        total_eligible_workers: 0,
        total_available_workers: 0,
        longest_task_waiting_sid: null,
        tasks_by_status: statuses(0, 0, 0, 0, 0, 0),
        tasks_by_priority: {},
      });
      // The key as in TaskRouter's own example.
      const camel = await f.api.taskQueues.bulkRealTimeStatistics.create({ queueSids: [s.queues.escalations] });
      expect(camel.taskQueueData.map((q: { total_tasks: number }) => q.total_tasks)).toEqual([2]);
    });

    it('workers real-time', async () => {
      const rt = await f.api.workers.realTimeStatistics().fetch();
      expect(workersByActivity(rt.activityStatistics)).toEqual({ Offline: 0, Available: 1, Unavailable: 3 });
      expect(rt.totalWorkers).toBe(4);
      expect((await f.api.workers.realTimeStatistics().fetch({ taskChannel: 'sms' })).totalWorkers).toBe(4);
    });

    it('workspace cumulative over the default 15 minutes: reservations, tasks, waits, split by wait time', async () => {
      const c = await f.api.cumulativeStatistics().fetch({ splitByWaitTime: '30,100' });
      // Reservations: created R1a R1b R2b R3b R5c R4c R2c R9b; accepted R1a R5c R2c; R2b rejected; R3b timed out;
      // R4c canceled with T4; R1b rescinded when alice took T1.
      expect([
        c.reservationsCreated,
        c.reservationsAccepted,
        c.reservationsRejected,
        c.reservationsTimedOut,
        c.reservationsCanceled,
        c.reservationsRescinded,
      ]).toEqual([8, 3, 1, 1, 1, 1]);
      // T1–T9 created; T6 T3 T4 canceled; T5 completed; T7 deleted; T2 moved; T6 timed out of its workflow.
      expect([c.tasksCreated, c.tasksCanceled, c.tasksCompleted, c.tasksDeleted, c.tasksMoved, c.tasksTimedOutInWorkflow]).toEqual([9, 3, 1, 1, 1, 1]);
      // Accepted after 10 (T1), 30 (T5) and 140 s (T2); canceled after 100 (T6), 80 (T3) and 50 s (T4).
      expect(c.waitDurationUntilAccepted).toEqual(d(60, 10, 140, 180));
      expect(c.avgTaskAcceptanceTime).toBe(60);
      expect(c.waitDurationUntilCanceled).toEqual(d(77, 50, 100, 230));
      // A wait equal to the threshold counts below it.
      expect(c.splitByWaitTime).toEqual({
        '30': { above: { tasks_canceled: 3, reservations_accepted: 1 }, below: { tasks_canceled: 0, reservations_accepted: 2 } },
        '100': { above: { tasks_canceled: 0, reservations_accepted: 1 }, below: { tasks_canceled: 3, reservations_accepted: 2 } },
      });
      expect([c.startTime.getTime(), c.endTime.getTime()]).toEqual([f.at(200 - 900).getTime(), f.at(200).getTime()]);
      expect(c.url).toBe(`${f.server.url}/v1/Workspaces/${f.ws.sid}/CumulativeStatistics`);
      expect((await f.api.cumulativeStatistics().fetch()).splitByWaitTime).toBeNull();
    });

    it('workspace cumulative narrowed to a channel', async () => {
      const smsSid = (await f.api.taskChannels('sms').fetch()).sid;
      for (const taskChannel of ['sms', smsSid]) {
        const c = await f.api.cumulativeStatistics().fetch({ taskChannel });
        // sms: R2b (rejected), R5c and R2c (accepted); T2 T5 T8 created; T5 completed; T2 moved.
        expect([
          c.reservationsCreated,
          c.reservationsAccepted,
          c.reservationsRejected,
          c.reservationsTimedOut,
          c.reservationsCanceled,
          c.reservationsRescinded,
        ]).toEqual([3, 2, 1, 0, 0, 0]);
        expect([c.tasksCreated, c.tasksCanceled, c.tasksCompleted, c.tasksDeleted, c.tasksMoved, c.tasksTimedOutInWorkflow]).toEqual([3, 0, 1, 0, 1, 0]);
        expect(c.waitDurationUntilAccepted).toEqual(d(85, 30, 140, 170));
        expect(c.waitDurationUntilCanceled).toEqual(NONE);
      }
    });

    it('queue cumulative: tasks entering, moving out, and waits from creation and in the queue', async () => {
      const support = await f.api.taskQueues(s.queues.support).cumulativeStatistics().fetch({ splitByWaitTime: '30,100' });
      // Support reservations: R3b (timed out), R5c R2c (accepted), R4c (canceled), R9b.
      expect([
        support.reservationsCreated,
        support.reservationsAccepted,
        support.reservationsRejected,
        support.reservationsTimedOut,
        support.reservationsCanceled,
        support.reservationsRescinded,
      ]).toEqual([5, 2, 0, 1, 1, 0]);
      // Entered: T3 (t=20), T2 (t=70), T4, T5, T9. Canceled T3 T4; completed T5.
      expect([support.tasksEntered, support.tasksCanceled, support.tasksCompleted, support.tasksDeleted, support.tasksMoved]).toEqual([5, 2, 1, 0, 0]);
      // From creation: T5 30 s, T2 140 s. In the queue: T5 30 s (t=90→120), T2 80 s (t=70→150).
      expect(support.waitDurationUntilAccepted).toEqual(d(85, 30, 140, 170));
      expect(support.waitDurationInQueueUntilAccepted).toEqual(d(55, 30, 80, 110));
      expect(support.avgTaskAcceptanceTime).toBe(85);
      expect(support.waitDurationUntilCanceled).toEqual(d(65, 50, 80, 130));
      expect(support.splitByWaitTime).toEqual({
        '30': { above: { tasks_canceled: 2, reservations_accepted: 1 }, below: { tasks_canceled: 0, reservations_accepted: 1 } },
        '100': { above: { tasks_canceled: 0, reservations_accepted: 1 }, below: { tasks_canceled: 2, reservations_accepted: 1 } },
      });
      expect(support.taskQueueSid).toBe(s.queues.support);

      const sales = await f.api.taskQueues(s.queues.sales).cumulativeStatistics().fetch();
      // Sales: R1a R1b R2b; T1 and T2 entered; T2 moved on to Support; T1 accepted after 10 s in the queue.
      expect([
        sales.reservationsCreated,
        sales.reservationsAccepted,
        sales.reservationsRejected,
        sales.reservationsTimedOut,
        sales.reservationsCanceled,
        sales.reservationsRescinded,
      ]).toEqual([3, 1, 1, 0, 0, 1]);
      expect([sales.tasksEntered, sales.tasksCanceled, sales.tasksCompleted, sales.tasksDeleted, sales.tasksMoved]).toEqual([2, 0, 0, 0, 1]);
      expect(sales.waitDurationUntilAccepted).toEqual(d(10, 10, 10, 10));
      expect(sales.waitDurationInQueueUntilAccepted).toEqual(d(10, 10, 10, 10));

      const escalations = await f.api.taskQueues(s.queues.escalations).cumulativeStatistics().fetch();
      // Escalations: T6 T7 T8 entered; T6 canceled after 100 s; T7 deleted; no reservations.
      expect([escalations.tasksEntered, escalations.tasksCanceled, escalations.tasksCompleted, escalations.tasksDeleted, escalations.tasksMoved]).toEqual([
        3, 1, 0, 1, 0,
      ]);
      expect(escalations.reservationsCreated).toBe(0);
      expect(escalations.waitDurationUntilCanceled).toEqual(d(100, 100, 100, 100));
      expect(escalations.waitDurationInQueueUntilAccepted).toEqual(NONE);
    });

    it('workflow cumulative', async () => {
      const main = await f.api.workflows(s.workflows.main).cumulativeStatistics().fetch();
      expect([
        main.reservationsCreated,
        main.reservationsAccepted,
        main.reservationsRejected,
        main.reservationsTimedOut,
        main.reservationsCanceled,
        main.reservationsRescinded,
      ]).toEqual([8, 3, 1, 1, 1, 1]);
      // Entered: T1 T2 T3 T4 T5 T9. Canceled T3 T4 (80 and 50 s); T5 completed; T2 moved.
      expect([main.tasksEntered, main.tasksCanceled, main.tasksCompleted, main.tasksDeleted, main.tasksMoved, main.tasksTimedOutInWorkflow]).toEqual([
        6, 2, 1, 0, 1, 0,
      ]);
      expect(main.waitDurationUntilAccepted).toEqual(d(60, 10, 140, 180));
      expect(main.waitDurationUntilCanceled).toEqual(d(65, 50, 80, 130));
      expect(main.workflowSid).toBe(s.workflows.main);

      const callbacks = await f.api.workflows(s.workflows.callbacks).cumulativeStatistics().fetch({ splitByWaitTime: '99' });
      // Entered: T6 T7 T8. T6 timed out of the workflow (canceled after 100 s); T7 deleted.
      expect([
        callbacks.tasksEntered,
        callbacks.tasksCanceled,
        callbacks.tasksCompleted,
        callbacks.tasksDeleted,
        callbacks.tasksMoved,
        callbacks.tasksTimedOutInWorkflow,
      ]).toEqual([3, 1, 0, 1, 0, 1]);
      expect(callbacks.reservationsCreated).toBe(0);
      expect(callbacks.waitDurationUntilCanceled).toEqual(d(100, 100, 100, 100));
      expect(callbacks.splitByWaitTime).toEqual({
        '99': { above: { tasks_canceled: 1, reservations_accepted: 0 }, below: { tasks_canceled: 0, reservations_accepted: 0 } },
      });
    });

    it('combined statistics carry the same real-time and cumulative figures', async () => {
      const ws = await f.api.statistics().fetch({ splitByWaitTime: '30' });
      expect(ws.realtime).toMatchObject({
        total_tasks: 8,
        total_workers: 4,
        longest_task_waiting_sid: s.tasks.t8,
        tasks_by_status: statuses(1, 1, 1, 1, 1, 3),
      });
      expect(ws.cumulative).toMatchObject({
        tasks_created: 9,
        reservations_created: 8,
        avg_task_acceptance_time: 60,
        wait_duration_until_canceled: d(77, 50, 100, 230),
        split_by_wait_time: { '30': { above: { tasks_canceled: 3, reservations_accepted: 1 }, below: { tasks_canceled: 0, reservations_accepted: 2 } } },
      });
      expect([ws.workspaceSid, ws.url]).toEqual([f.ws.sid, `${f.server.url}/v1/Workspaces/${f.ws.sid}/Statistics`]);

      const queue = await f.api.taskQueues(s.queues.support).statistics().fetch({ taskChannel: 'sms' });
      // Support on sms: T2 wrapping, T5 completed; R5c and R2c accepted after 30 and 140 s.
      expect(queue.realtime).toMatchObject({ total_tasks: 2, total_eligible_workers: 2, tasks_by_status: statuses(0, 0, 0, 1, 1, 0) });
      expect(queue.cumulative).toMatchObject({ tasks_entered: 2, reservations_accepted: 2, wait_duration_until_accepted: d(85, 30, 140, 170) });
      expect(queue.cumulative).not.toHaveProperty('tasks_created');
      expect(queue.taskQueueSid).toBe(s.queues.support);

      const workflow = await f.api.workflows(s.workflows.callbacks).statistics().fetch();
      expect(workflow.realtime).toMatchObject({ total_tasks: 2, longest_task_waiting_sid: s.tasks.t8, longest_task_waiting_age: 40 });
      expect(workflow.cumulative).toMatchObject({ tasks_entered: 3, tasks_timed_out_in_workflow: 1, tasks_deleted: 1 });
      expect(workflow.workflowSid).toBe(s.workflows.callbacks);
    });

    it('every queue statistics, paged under task_queues_statistics and filtered by name', async () => {
      const all = await f.api.taskQueues.statistics.list({ pageSize: 2 });
      const totals = Object.fromEntries(all.map((q) => [q.taskQueueSid, [q.realtime.total_tasks, q.cumulative.tasks_entered]]));
      expect(totals).toEqual({ [s.queues.sales]: [1, 2], [s.queues.support]: [5, 5], [s.queues.escalations]: [2, 3] });

      const page = await raw(f.server, 'GET', `/v1/Workspaces/${f.ws.sid}/TaskQueues/Statistics?PageSize=2`);
      expect(page.status).toBe(200);
      expect(page.body.meta.key).toBe('task_queues_statistics');
      expect(page.body.task_queues_statistics).toHaveLength(2);
      expect(page.body.meta.next_page_url).not.toBeNull();

      const named = await f.api.taskQueues.statistics.list({ friendlyName: 'Support', splitByWaitTime: '30' });
      expect(named.map((q) => q.taskQueueSid)).toEqual([s.queues.support]);
      expect(named[0]!.cumulative.wait_duration_in_queue_until_accepted).toEqual(d(55, 30, 80, 110));
      expect(named[0]!.cumulative.split_by_wait_time['30'].below.reservations_accepted).toBe(1);
    });

    it('workers cumulative: reservations and time spent in each activity', async () => {
      const c = await f.api.workers.cumulativeStatistics().fetch();
      expect([
        c.reservationsCreated,
        c.reservationsAccepted,
        c.reservationsRejected,
        c.reservationsTimedOut,
        c.reservationsCanceled,
        c.reservationsRescinded,
      ]).toEqual([8, 3, 1, 1, 1, 1]);
      // Stints: Offline bob 130 (t=50→180), carol 110 (0→110); Available alice 10, bob 50 and 20, carol 60;
      // Unavailable alice 190, carol 30, dave 200.
      expect(durationsByActivity(c.activityDurations)).toEqual({
        Offline: d(120, 110, 130, 240),
        Available: d(35, 10, 60, 140),
        Unavailable: d(140, 30, 200, 420),
      });
      expect([c.startTime.getTime(), c.endTime.getTime()]).toEqual([f.at(200 - 900).getTime(), f.at(200).getTime()]);
    });

    it('workers statistics narrowed by queue, queue name or worker name', async () => {
      const all = await f.api.workers.statistics().fetch();
      expect(all.realtime.total_workers).toBe(4);
      expect(all.cumulative.reservations_created).toBe(8);

      const support = await f.api.workers.statistics().fetch({ taskQueueSid: s.queues.support });
      // bob and carol.
      expect(workersByActivity(support.realtime.activity_statistics)).toEqual({ Offline: 0, Available: 1, Unavailable: 1 });
      expect(support.realtime.total_workers).toBe(2);
      expect(support.cumulative).toMatchObject({
        reservations_created: 7,
        reservations_accepted: 2,
        reservations_rejected: 1,
        reservations_timed_out: 1,
        reservations_canceled: 1,
        reservations_rescinded: 1,
      });
      expect(durationsByActivity(support.cumulative.activity_durations)).toEqual({
        Offline: d(120, 110, 130, 240),
        Available: d(43, 20, 60, 130),
        Unavailable: d(30, 30, 30, 30),
      });

      const sales = await f.api.workers.statistics().fetch({ taskQueueName: 'Sales' });
      // alice and bob.
      expect(workersByActivity(sales.realtime.activity_statistics)).toEqual({ Offline: 0, Available: 1, Unavailable: 1 });
      expect(sales.cumulative).toMatchObject({
        reservations_created: 5,
        reservations_accepted: 1,
        reservations_rejected: 1,
        reservations_timed_out: 1,
        reservations_canceled: 0,
        reservations_rescinded: 1,
      });
      expect(durationsByActivity(sales.cumulative.activity_durations)).toEqual({
        Offline: d(130, 130, 130, 130),
        Available: d(27, 10, 50, 80),
        Unavailable: d(190, 190, 190, 190),
      });

      const dave = await f.api.workers.statistics().fetch({ friendlyName: 'DAVE' });
      expect(workersByActivity(dave.realtime.activity_statistics)).toEqual({ Offline: 0, Available: 0, Unavailable: 1 });
      expect(dave.realtime.total_workers).toBe(1);
      expect(dave.cumulative.reservations_created).toBe(0);
      expect(durationsByActivity(dave.cumulative.activity_durations)).toEqual({ Offline: NONE, Available: NONE, Unavailable: d(200, 200, 200, 200) });
    });

    it("one worker's statistics", async () => {
      const bob = await f.api.workers(s.workers.bob).statistics().fetch();
      expect(bob.workerSid).toBe(s.workers.bob);
      expect(bob.url).toBe(`${f.server.url}/v1/Workspaces/${f.ws.sid}/Workers/${s.workers.bob}/Statistics`);
      // R1b rescinded, R2b rejected, R3b timed out, R9b pending.
      expect(bob.cumulative).toMatchObject({
        reservations_created: 4,
        reservations_accepted: 0,
        reservations_rejected: 1,
        reservations_timed_out: 1,
        reservations_canceled: 0,
        reservations_rescinded: 1,
      });
      expect(durationsByActivity(bob.cumulative.activity_durations)).toEqual({
        Offline: d(130, 130, 130, 130),
        Available: d(35, 20, 50, 70),
        Unavailable: NONE,
      });

      const sms = await f.api.workers(s.workers.bob).statistics().fetch({ taskChannel: 'sms' });
      expect(sms.cumulative).toMatchObject({ reservations_created: 1, reservations_rejected: 1, reservations_timed_out: 0, reservations_rescinded: 0 });
    });

    it('StartDate and EndDate bound the window, ends included; durations are clipped to it', async () => {
      const window = { startDate: f.at(100), endDate: f.at(150) };
      const c = await f.api.cumulativeStatistics().fetch(window);
      // t=100–150: R5c R4c (t=110) and R2c (t=140) created; R5c and R2c accepted; R4c canceled.
      // T6 timed out and T3 canceled at t=100; T7 deleted; T4 canceled; T5 completed.
      expect([
        c.reservationsCreated,
        c.reservationsAccepted,
        c.reservationsRejected,
        c.reservationsTimedOut,
        c.reservationsCanceled,
        c.reservationsRescinded,
      ]).toEqual([3, 2, 0, 0, 1, 0]);
      expect([c.tasksCreated, c.tasksCanceled, c.tasksCompleted, c.tasksDeleted, c.tasksMoved, c.tasksTimedOutInWorkflow]).toEqual([0, 3, 1, 1, 0, 1]);
      expect(c.waitDurationUntilAccepted).toEqual(d(85, 30, 140, 170));
      expect(c.waitDurationUntilCanceled).toEqual(d(77, 50, 100, 230));
      expect([c.startTime.getTime(), c.endTime.getTime()]).toEqual([f.at(100).getTime(), f.at(150).getTime()]);

      const workers = await f.api.workers.cumulativeStatistics().fetch(window);
      // Offline: bob 50 (of 50→180), carol 10 (of 0→110); Available: carol 40 (of 110→170); Unavailable: alice, dave 50.
      expect(durationsByActivity(workers.activityDurations)).toEqual({
        Offline: d(30, 10, 50, 60),
        Available: d(40, 40, 40, 40),
        Unavailable: d(50, 50, 50, 100),
      });
      expect([workers.reservationsCreated, workers.reservationsAccepted, workers.reservationsCanceled]).toEqual([3, 2, 1]);

      const untilSixty = await f.api.cumulativeStatistics().fetch({ endDate: f.at(60) });
      // 15 minutes up to t=60: R1a R1b R2b R3b created; R1a accepted, R1b rescinded, R2b rejected, R3b timed out.
      expect([
        untilSixty.reservationsCreated,
        untilSixty.reservationsAccepted,
        untilSixty.reservationsRejected,
        untilSixty.reservationsTimedOut,
        untilSixty.reservationsRescinded,
      ]).toEqual([4, 1, 1, 1, 1]);
      expect(untilSixty.tasksCreated).toBe(4);
      expect(untilSixty.startTime.getTime()).toBe(f.at(60 - 900).getTime());
    });

    it('Minutes sets how far back the window reaches', async () => {
      const c = await f.api.cumulativeStatistics().fetch({ minutes: 1 });
      // t=140–200: R2c (t=140) and R9b created, R2c accepted after 140 s; T8 and T9 created; T5 completed at t=140.
      expect([
        c.reservationsCreated,
        c.reservationsAccepted,
        c.reservationsRejected,
        c.reservationsTimedOut,
        c.reservationsCanceled,
        c.reservationsRescinded,
      ]).toEqual([2, 1, 0, 0, 0, 0]);
      expect([c.tasksCreated, c.tasksCanceled, c.tasksCompleted, c.tasksMoved]).toEqual([2, 0, 1, 0]);
      expect(c.waitDurationUntilAccepted).toEqual(d(140, 140, 140, 140));
      expect(c.startTime.getTime()).toBe(f.at(140).getTime());
    });
  });

  describe('a quarter of an hour after the scripted day (t=1160)', () => {
    let f: StatisticsFixture;
    let s: Scenario;
    beforeAll(async () => {
      f = await statisticsFixture(makeStore);
      s = await runScenario(f);
      await f.elapse(10); // t=210: bob's reservation of T9 times out; bob → Offline
      await f.elapse(950); // t=1160: tasks that ended are gone (removed 5 minutes after ending)
    });
    afterAll(async () => f.close());

    it('real-time figures no longer count removed tasks', async () => {
      const rt = await f.api.realTimeStatistics().fetch();
      // T8 and T9 pending, T1 assigned, T2 wrapping.
      expect(rt.tasksByStatus).toEqual({ pending: 2, reserved: 0, assigned: 1, wrapping: 1, completed: 0, canceled: 0 });
      expect(rt.tasksByPriority).toEqual({ '7': 1, '4': 1 });
      expect([rt.longestTaskWaitingSid, rt.longestTaskWaitingAge]).toEqual([s.tasks.t8, 1000]);
    });

    it('the default window holds nothing but the activities workers are still in', async () => {
      const c = await f.api.cumulativeStatistics().fetch();
      expect([c.reservationsCreated, c.tasksCreated, c.tasksCanceled, c.tasksCompleted]).toEqual([0, 0, 0, 0]);
      expect(c.waitDurationUntilAccepted).toEqual({ avg: 0, min: 0, max: 0, total: 0 });
      const workers = await f.api.workers.cumulativeStatistics().fetch();
      const durations = Object.fromEntries(
        workers.activityDurations.map((a: { friendly_name: string; avg: number; min: number; max: number; total: number }) => [
          a.friendly_name,
          [a.avg, a.min, a.max, a.total],
        ]),
      );
      // bob Offline since t=210; alice, carol, dave Unavailable: each the whole 900 s.
      expect(durations).toEqual({ Offline: [900, 900, 900, 900], Available: [0, 0, 0, 0], Unavailable: [900, 900, 900, 2700] });
    });

    it('a wider Minutes window reaches back to the start of the day', async () => {
      const c = await f.api.cumulativeStatistics().fetch({ minutes: 20 });
      // As at t=200, plus R9b timing out at t=210.
      expect([
        c.reservationsCreated,
        c.reservationsAccepted,
        c.reservationsRejected,
        c.reservationsTimedOut,
        c.reservationsCanceled,
        c.reservationsRescinded,
      ]).toEqual([8, 3, 1, 2, 1, 1]);
      expect(c.tasksCreated).toBe(9);
      const workers = await f.api.workers.cumulativeStatistics().fetch({ minutes: 20 });
      const durations = Object.fromEntries(
        workers.activityDurations.map((a: { friendly_name: string; avg: number; min: number; max: number; total: number }) => [
          a.friendly_name,
          [a.avg, a.min, a.max, a.total],
        ]),
      );
      // Offline: bob 130 and 950 (t=210→1160), carol 110. Available: alice 10, bob 50 and 30 (t=180→210), carol 60.
      // Unavailable: alice 1150, carol 990, dave 1160.
      expect(durations).toEqual({ Offline: [397, 110, 950, 1190], Available: [38, 10, 60, 150], Unavailable: [1100, 990, 1160, 3300] });
    });
  });

  describe('a task left assigned for a day', () => {
    let f: StatisticsFixture;
    beforeAll(async () => {
      f = await statisticsFixture(makeStore);
    });
    afterAll(async () => f.close());

    it('counts as deleted when the system deletes it', async () => {
      const q = await f.api.taskQueues.create({ friendlyName: 'All', targetWorkers: '1==1' });
      const wf = await f.api.workflows.create({ friendlyName: 'All', configuration: JSON.stringify({ task_routing: { default_filter: { queue: q.sid } } }) });
      const w = await f.api.workers.create({ friendlyName: 'erin', activitySid: f.activity('Available') });
      const t = await f.api.tasks.create({ workflowSid: wf.sid, attributes: '{}' });
      const [r] = await f.api.workers(w.sid).reservations.list({ reservationStatus: 'pending' });
      await f.api.workers(w.sid).reservations(r!.sid).update({ reservationStatus: 'accepted' });
      await f.elapse(24 * 3600);
      expect(
        (
          await f.api
            .tasks(t.sid)
            .fetch()
            .catch((e) => e)
        ).status,
      ).toBe(404);
      const c = await f.api.taskQueues(q.sid).cumulativeStatistics().fetch();
      expect([c.tasksDeleted, c.tasksCompleted, c.tasksCanceled]).toEqual([1, 0, 0]);
      expect((await f.api.realTimeStatistics().fetch()).totalTasks).toBe(0);
    });
  });

  describe('bad requests', () => {
    let f: StatisticsFixture;
    beforeAll(async () => {
      f = await statisticsFixture(makeStore);
    });
    afterAll(async () => f.close());

    const bad = { status: 400, code: 20001 };
    const missing = { status: 404, code: 20404 };

    it('window parameters: Minutes a positive integer, dates ISO-8601, EndDate not before StartDate, not mixed with Minutes', async () => {
      const c = () => f.api.cumulativeStatistics();
      await expect(c().fetch({ minutes: 0 })).rejects.toMatchObject(bad);
      await expect(c().fetch({ minutes: -5 })).rejects.toMatchObject(bad);
      await expect(c().fetch({ minutes: 'soon' as unknown as number })).rejects.toMatchObject(bad);
      await expect(c().fetch({ minutes: 1.5 })).rejects.toMatchObject(bad);
      await expect(c().fetch({ startDate: 'yesterday' as unknown as Date })).rejects.toMatchObject(bad);
      await expect(c().fetch({ endDate: '2024-13-45T99:00:00Z' as unknown as Date })).rejects.toMatchObject(bad);
      await expect(c().fetch({ startDate: f.at(100), endDate: f.at(50) })).rejects.toMatchObject(bad);
      await expect(c().fetch({ minutes: 5, startDate: f.at(-60) })).rejects.toMatchObject(bad);
      await expect(f.api.workers.cumulativeStatistics().fetch({ minutes: 0 })).rejects.toMatchObject(bad);
      await expect(f.api.statistics().fetch({ startDate: f.at(100), endDate: f.at(50) })).rejects.toMatchObject(bad);
    });

    it('SplitByWaitTime must be whole seconds; TaskChannel must exist', async () => {
      await expect(f.api.cumulativeStatistics().fetch({ splitByWaitTime: '5,soon' })).rejects.toMatchObject(bad);
      await expect(f.api.cumulativeStatistics().fetch({ splitByWaitTime: '-5' })).rejects.toMatchObject(bad);
      await expect(f.api.cumulativeStatistics().fetch({ splitByWaitTime: ',' })).rejects.toMatchObject(bad);
      await expect(f.api.realTimeStatistics().fetch({ taskChannel: 'carrier-pigeon' })).rejects.toMatchObject(bad);
      await expect(f.api.workers.statistics().fetch({ taskChannel: 'carrier-pigeon' })).rejects.toMatchObject(bad);
    });

    it('unknown workspace, queue, workflow and worker are 404', async () => {
      const queue = 'WQ' + 'cd'.repeat(16);
      const workflow = 'WW' + 'cd'.repeat(16);
      const worker = 'WK' + 'cd'.repeat(16);
      await expect(
        f.server.client.taskrouter.v1
          .workspaces('WS' + 'cd'.repeat(16))
          .realTimeStatistics()
          .fetch(),
      ).rejects.toMatchObject(missing);
      await expect(f.api.taskQueues(queue).realTimeStatistics().fetch()).rejects.toMatchObject(missing);
      await expect(f.api.taskQueues(queue).cumulativeStatistics().fetch()).rejects.toMatchObject(missing);
      await expect(f.api.taskQueues(queue).statistics().fetch()).rejects.toMatchObject(missing);
      await expect(f.api.workflows(workflow).realTimeStatistics().fetch()).rejects.toMatchObject(missing);
      await expect(f.api.workflows(workflow).cumulativeStatistics().fetch()).rejects.toMatchObject(missing);
      await expect(f.api.workflows(workflow).statistics().fetch()).rejects.toMatchObject(missing);
      await expect(f.api.workers(worker).statistics().fetch()).rejects.toMatchObject(missing);
    });

    it('worker filters must name a queue of the workspace, the same one when both are given', async () => {
      const q = await f.api.taskQueues.create({ friendlyName: 'Only', targetWorkers: '1==1' });
      await expect(f.api.workers.statistics().fetch({ taskQueueSid: 'WQ' + 'cd'.repeat(16) })).rejects.toMatchObject(bad);
      await expect(f.api.workers.statistics().fetch({ taskQueueName: 'Nowhere' })).rejects.toMatchObject(bad);
      await expect(f.api.workers.statistics().fetch({ taskQueueSid: q.sid, taskQueueName: 'Nowhere' })).rejects.toMatchObject(bad);
      expect((await f.api.workers.statistics().fetch({ taskQueueSid: q.sid, taskQueueName: 'Only' })).realtime.total_workers).toBe(0);
    });

    it('bulk real-time takes 1 to 50 TaskQueue sids', async () => {
      const bulk = f.api.taskQueues.bulkRealTimeStatistics;
      const sids = Array.from({ length: 51 }, (_, i) => 'WQ' + i.toString(16).padStart(32, '0'));
      await expect(bulk.create({ QueueSids: sids })).rejects.toMatchObject(bad);
      await expect(bulk.create({ QueueSids: [] })).rejects.toMatchObject(bad);
      await expect(bulk.create({})).rejects.toMatchObject(bad);
      await expect(bulk.create({ QueueSids: ['Support'] })).rejects.toMatchObject(bad);
      expect((await bulk.create({ QueueSids: sids.slice(0, 50) })).taskQueueResponseCount).toBe(50);
    });

    it('a fresh workspace reports zeros, every status and activity included', async () => {
      const rt = await f.api.realTimeStatistics().fetch();
      expect(rt.tasksByStatus).toEqual({ pending: 0, reserved: 0, assigned: 0, wrapping: 0, completed: 0, canceled: 0 });
      expect([rt.totalTasks, rt.totalWorkers, rt.longestTaskWaitingSid, rt.longestTaskWaitingAge]).toEqual([0, 0, null, 0]);
      expect(rt.activityStatistics.map((a: { workers: number }) => a.workers)).toEqual([0, 0, 0]);
      const c = await f.api.cumulativeStatistics().fetch();
      expect(c.waitDurationUntilAccepted).toEqual({ avg: 0, min: 0, max: 0, total: 0 });
    });
  });
}
