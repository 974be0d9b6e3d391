import { expect } from 'vitest';
import type { StatisticsFixture } from './fixture.js';

/**
 * The scripted day the statistics tests read figures from. Times are seconds after the script began; the clock
 * stands still between steps, so every figure the tests expect follows from this script by hand.
 *
 * Queues: Sales (`sales` skill, 2 reservations per task), Support (`support`), Escalations (nobody).
 * Workflows: Main (sales tasks → Sales for 60 s, then Support; anything else → Support; reservations time out
 * after 30 s) and Callbacks (callbacks → Escalations for 100 s, then out of the workflow; anything else →
 * Escalations). Workers: alice (sales, Available), bob (sales+support, Available), carol (support, Offline),
 * dave (no skills, Unavailable).
 *
 *   t=0    T1 sales p5 default → Sales: reserved for alice and bob.  T6 callback p2 default → Escalations.
 *   t=10   alice accepts T1 (bob's reservation rescinded); alice → Unavailable.  T2 sales p1 sms → Sales: bob.
 *   t=20   bob rejects T2.  T3 support p3 default → Support: bob.
 *   t=50   bob's reservation of T3 times out: bob → Offline.
 *   t=70   T2's Sales step times out: T2 moves to Support.
 *   t=80   T4 support p0 default → Support.  T7 other p0 chat → Escalations.
 *   t=90   T5 support p3 sms → Support.
 *   t=100  T6 times out of its workflow (canceled).  T3 canceled.
 *   t=105  T7 deleted.
 *   t=110  carol → Available: reserved for T5 (sms) and T4 (default).
 *   t=120  carol accepts T5.
 *   t=130  T4 canceled (carol's reservation canceled).
 *   t=140  T5 completed: carol reserved for T2.
 *   t=150  carol accepts T2.
 *   t=160  T2 wrapping.  T8 other p7 sms → Escalations.
 *   t=170  carol → Unavailable.  T9 support p4 default → Support.
 *   t=180  bob → Available: reserved for T9.
 *   t=200  the script ends ("now").
 */
export async function runScenario(f: StatisticsFixture) {
  const { api, activity, elapse } = f;
  const available = activity('Available');
  const unavailable = activity('Unavailable');
  const offline = activity('Offline');

  const sales = await api.taskQueues.create({ friendlyName: 'Sales', targetWorkers: "skills HAS 'sales'", maxReservedWorkers: 2 });
  const support = await api.taskQueues.create({ friendlyName: 'Support', targetWorkers: "skills HAS 'support'" });
  const escalations = await api.taskQueues.create({ friendlyName: 'Escalations', targetWorkers: "skills HAS 'escalation'" });
  const main = await api.workflows.create({
    friendlyName: 'Main',
    taskReservationTimeout: 30,
    configuration: JSON.stringify({
      task_routing: {
        filters: [{ filter_friendly_name: 'sales', expression: "type == 'sales'", targets: [{ queue: sales.sid, timeout: 60 }, { queue: support.sid }] }],
        default_filter: { queue: support.sid },
      },
    }),
  });
  const callbacks = await api.workflows.create({
    friendlyName: 'Callbacks',
    taskReservationTimeout: 30,
    configuration: JSON.stringify({
      task_routing: {
        filters: [{ filter_friendly_name: 'callbacks', expression: "type == 'callback'", targets: [{ queue: escalations.sid, timeout: 100 }] }],
        default_filter: { queue: escalations.sid },
      },
    }),
  });
  const worker = (friendlyName: string, skills: string[], activitySid: string) =>
    api.workers.create({ friendlyName, attributes: JSON.stringify({ skills }), activitySid });
  const alice = await worker('alice', ['sales'], available);
  const bob = await worker('bob', ['sales', 'support'], available);
  const carol = await worker('carol', ['support'], offline);
  const dave = await worker('dave', [], unavailable);

  const task = (workflowSid: string, type: string, priority: number, taskChannel: string) =>
    api.tasks.create({ workflowSid, attributes: JSON.stringify({ type }), priority, taskChannel });
  const pendingOf = async (workerSid: string) => api.workers(workerSid).reservations.list({ reservationStatus: 'pending' });
  const reservationOf = async (workerSid: string, taskSid: string) => {
    const r = (await pendingOf(workerSid)).find((x) => x.taskSid === taskSid);
    expect(r, `a pending reservation of ${taskSid}`).toBeDefined();
    return r!;
  };
  const setActivity = (workerSid: string, activitySid: string) => api.workers(workerSid).update({ activitySid });

  // t=0
  const t1 = await task(main.sid, 'sales', 5, 'default');
  const t6 = await task(callbacks.sid, 'callback', 2, 'default');
  const r1a = await reservationOf(alice.sid, t1.sid);
  await reservationOf(bob.sid, t1.sid);

  await elapse(10); // t=10
  await api.workers(alice.sid).reservations(r1a.sid).update({ reservationStatus: 'accepted' });
  await setActivity(alice.sid, unavailable);
  const t2 = await task(main.sid, 'sales', 1, 'sms');
  const r2b = await reservationOf(bob.sid, t2.sid);

  await elapse(10); // t=20
  await api.workers(bob.sid).reservations(r2b.sid).update({ reservationStatus: 'rejected' });
  const t3 = await task(main.sid, 'support', 3, 'default');
  await reservationOf(bob.sid, t3.sid);

  await elapse(30); // t=50: bob's reservation of T3 times out
  expect((await api.workers(bob.sid).fetch()).activitySid).toBe(offline);

  await elapse(20); // t=70: T2 leaves Sales for Support
  expect((await api.tasks(t2.sid).fetch()).taskQueueSid).toBe(support.sid);

  await elapse(10); // t=80
  const t4 = await task(main.sid, 'support', 0, 'default');
  const t7 = await task(callbacks.sid, 'other', 0, 'chat');

  await elapse(10); // t=90
  const t5 = await task(main.sid, 'support', 3, 'sms');

  await elapse(10); // t=100: T6 falls out of its workflow
  expect((await api.tasks(t6.sid).fetch()).assignmentStatus).toBe('canceled');
  await api.tasks(t3.sid).update({ assignmentStatus: 'canceled', reason: 'caller hung up' });

  await elapse(5); // t=105
  await api.tasks(t7.sid).remove();

  await elapse(5); // t=110
  await setActivity(carol.sid, available);
  const r5c = await reservationOf(carol.sid, t5.sid);
  await reservationOf(carol.sid, t4.sid);

  await elapse(10); // t=120
  await api.workers(carol.sid).reservations(r5c.sid).update({ reservationStatus: 'accepted' });

  await elapse(10); // t=130
  await api.tasks(t4.sid).update({ assignmentStatus: 'canceled', reason: 'caller hung up' });

  await elapse(10); // t=140
  await api.tasks(t5.sid).update({ assignmentStatus: 'completed', reason: 'resolved' });
  const r2c = await reservationOf(carol.sid, t2.sid);

  await elapse(10); // t=150
  await api.workers(carol.sid).reservations(r2c.sid).update({ reservationStatus: 'accepted' });

  await elapse(10); // t=160
  await api.tasks(t2.sid).update({ assignmentStatus: 'wrapping' });
  const t8 = await task(callbacks.sid, 'other', 7, 'sms');

  await elapse(10); // t=170
  await setActivity(carol.sid, unavailable);
  const t9 = await task(main.sid, 'support', 4, 'default');

  await elapse(10); // t=180
  await setActivity(bob.sid, available);
  await reservationOf(bob.sid, t9.sid);

  await elapse(20); // t=200

  return {
    queues: { sales: sales.sid, support: support.sid, escalations: escalations.sid },
    workflows: { main: main.sid, callbacks: callbacks.sid },
    workers: { alice: alice.sid, bob: bob.sid, carol: carol.sid, dave: dave.sid },
    tasks: { t1: t1.sid, t2: t2.sid, t3: t3.sid, t4: t4.sid, t5: t5.sid, t6: t6.sid, t7: t7.sid, t8: t8.sid, t9: t9.sid },
    activities: { offline, available, unavailable },
  };
}

export type Scenario = Awaited<ReturnType<typeof runScenario>>;
