import { describe, expect, it } from 'vitest';
import type { TaskRouterEvent } from '../../src/core/events/index.js';
import { heardHere, type Listening } from '../../src/realtime/event-frames.js';

const event = (eventType: string, data: Record<string, unknown> = {}): TaskRouterEvent =>
  ({ eventType, workspaceSid: 'WS1', data }) as unknown as TaskRouterEvent;

/** Sessions here act as WK1 only, and no one watches unless told. */
const listening = (watchers = false, workers: string[] = ['WK1']): Listening => ({
  worker: (sid) => workers.includes(sid),
  anyWorker: workers.length > 0,
  watchers,
});

describe('which events the sessions here can hear', () => {
  it("a reservation's, worker's or channel's event when its worker has a session here", () => {
    expect(heardHere(event('reservation.created', { worker_sid: 'WK1' }), listening())).toBe(true);
    expect(heardHere(event('reservation.created', { worker_sid: 'WK2' }), listening())).toBe(false);
    expect(heardHere(event('worker.activity.update', { worker_sid: 'WK1' }), listening())).toBe(true);
    expect(heardHere(event('worker.channel.availability.update', { worker_sid: 'WK2' }), listening())).toBe(false);
  });

  it("a transfer's when the worker who started it has a session here", () => {
    expect(heardHere(event('task.transfer-initiated', { transfer_initiating_worker_sid: 'WK1' }), listening())).toBe(true);
    expect(heardHere(event('task.transfer-initiated', { transfer_initiating_worker_sid: 'WK2' }), listening())).toBe(false);
  });

  it("a task's when any worker has a session here (its reservations say whose it is)", () => {
    expect(heardHere(event('task.completed', { task_sid: 'WT1' }), listening())).toBe(true);
    expect(heardHere(event('task.completed', { task_sid: 'WT1' }), listening(false, []))).toBe(false);
  });

  it('none of the events a created task makes beside its reservation, unless someone watches the workspace', () => {
    for (const type of ['workflow.entered', 'task-queue.entered', 'task.created', 'workflow.target-matched']) {
      expect(heardHere(event(type, { task_sid: 'WT1' }), listening())).toBe(false);
      expect(heardHere(event(type, { task_sid: 'WT1' }), listening(true))).toBe(true);
    }
  });
});
