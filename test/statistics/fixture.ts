import type { Clock } from '../../src/engine/clock.js';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { startServer, type TestServerOptions } from '../helpers/server.js';

/** A clock that stands still until told to move, so every duration in a script is exact to the millisecond. */
export class ScriptClock implements Clock {
  private t: number;
  constructor(start: number) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * A running server with one fresh workspace on a stopped clock that starts on a whole second, and the handles a
 * statistics script needs: the real twilio client, the workspace's default activities, and `elapse`.
 */
export async function statisticsFixture(makeStore: () => Promise<RoutingStore>, options: Pick<TestServerOptions, 'metrics'> = {}) {
  const t0 = Math.ceil(Date.now() / 1000) * 1000 + 1000;
  const clock = new ScriptClock(t0);
  const server = await startServer({ store: await makeStore(), clock, ...options });
  const ws = await server.client.taskrouter.v1.workspaces.create({ friendlyName: `statistics ${Math.random()}` });
  const api = server.client.taskrouter.v1.workspaces(ws.sid);
  const activities = await api.activities.list();
  const activity = (name: string) => activities.find((a) => a.friendlyName === name)!.sid;

  /** Lets `seconds` pass and fires whatever timers fall due. */
  async function elapse(seconds: number) {
    clock.advance(seconds * 1000);
    await server.engine.runDueTimers();
  }

  /** The instant `seconds` after the script began. */
  const at = (seconds: number) => new Date(t0 + seconds * 1000);

  return { server, clock, ws, api, activity, elapse, at, close: server.close };
}

export type StatisticsFixture = Awaited<ReturnType<typeof statisticsFixture>>;
