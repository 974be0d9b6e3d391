import { it } from 'vitest';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { statisticsFixture } from './fixture.js';
import { runScenario } from './scenario.js';

it('smoke', async () => {
  const f = await statisticsFixture(async () => new MemoryStore());
  const s = await runScenario(f);
  const j = (x: any) => console.log(JSON.stringify(x.toJSON ? x.toJSON() : x, null, 1));
  j(await f.api.realTimeStatistics().fetch());
  j(await f.api.cumulativeStatistics().fetch({ splitByWaitTime: '30,100' }));
  j(await f.api.taskQueues(s.queues.support).statistics().fetch({ splitByWaitTime: '30,100' }));
  j(await f.api.workers.cumulativeStatistics().fetch());
  j(await f.api.taskQueues.bulkRealTimeStatistics.create({ QueueSids: [s.queues.sales, 'WQ' + '0'.repeat(32)] }));
  j(await f.api.taskQueues.statistics.list({ friendlyName: 'Sales' }));
  await f.close();
});
