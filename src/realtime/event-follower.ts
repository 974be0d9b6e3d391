import type { TaskRouterEvent } from '../core/events/index.js';
import type { RoutingEngine } from '../engine/engine.js';
import { RedisStore } from '../store/redis/redis-store.js';

/** Every event of a workspace from now on, in commit order, whichever instance committed it. */
export interface EventFollower {
  /** Resolves once following has begun: nothing committed after that is missed. Resolves to the way to stop. */
  follow(workspaceSid: string, listener: (event: TaskRouterEvent) => void): Promise<() => void>;
  close(): Promise<void>;
}

/** The embedded store's: one process commits everything, so its engine hears every event. */
class EngineEventFollower implements EventFollower {
  constructor(private readonly engine: RoutingEngine) {}

  async follow(workspaceSid: string, listener: (event: TaskRouterEvent) => void): Promise<() => void> {
    return this.engine.onEvent((event) => {
      if (event.workspaceSid === workspaceSid) listener(event);
    });
  }

  async close(): Promise<void> {}
}

/** Events as the engine's store can tell them: from the events streams on Redis, from the engine on the embedded store. */
export function eventFollowerFor(engine: RoutingEngine): EventFollower {
  return engine.store instanceof RedisStore ? engine.store.eventTail() : new EngineEventFollower(engine);
}
