import { describe, expect, it } from 'vitest';
import type { TaskRouterEvent } from '../../src/core/events/index.js';
import { RoutingEngine } from '../../src/engine/engine.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';

describe('event listeners', () => {
  it('a listener that throws fails neither the change nor the listeners after it', async () => {
    const engine = new RoutingEngine({ store: new MemoryStore(), accountSid: 'AC' + '0'.repeat(32) });
    const heard: string[] = [];
    engine.onEvent(() => {
      throw new Error('a broken listener');
    });
    engine.onEvent((event: TaskRouterEvent) => heard.push(event.eventType));
    const workspace = await engine.createWorkspace({ friendlyName: 'Listeners' });
    await engine.createActivity(workspace.sid, { friendlyName: 'Ready', available: true });
    expect(await engine.store.get(workspace.sid, 'workspace', workspace.sid)).not.toBeNull();
    expect(heard).toContain('activity.created');
  });
});
