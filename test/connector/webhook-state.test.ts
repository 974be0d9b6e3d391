import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { removeKeys, testRedisUrl, uniquePrefix } from '../store/redis-test-server.js';
import { signedWebhook, startConnectorServer } from './harness.js';
import { captureLogs } from '../helpers/log-capture.js';

/**
 * The call-flow state our TwiML carries in webhook URLs comes back signed, but a signed URL need not be one we wrote:
 * keys given twice or nested, or values that are not sids, are read as no state at all, on either store.
 */
const prefix = uniquePrefix();
afterAll(() => removeKeys(prefix));

const stores = {
  memory: async () => new MemoryStore(),
  redis: async () => RedisStore.connect(testRedisUrl(), { prefix }),
};

describe.each(Object.keys(stores) as Array<keyof typeof stores>)('webhook state on the %s store', (name) => {
  it('reads repeated, nested or malformed state as none, and hangs up without failing', async () => {
    const server = await startConnectorServer({ store: await stores[name]() });
    const failures = captureLogs('error');
    try {
      const pn = 'PN' + 'a'.repeat(32);
      const im = 'IM' + 'b'.repeat(32);
      for (const path of [
        `/webhooks/voice/menu?number=CA${'c'.repeat(32)}&number=${pn}&menu=${im}`,
        `/webhooks/voice/menu?number[x]=${pn}&menu=${im}`,
        `/webhooks/voice/menu?number=not-a-sid&menu=${im}`,
        `/webhooks/voice/agent?ws=WS1&ws=WS2&task=WT1&reservation=WR1&mode=dequeue`,
        `/webhooks/voice/browser-agent?ws=x&task=y&reservation=z&identity=ann&mode=dequeue`,
      ]) {
        const res = await signedWebhook(server, path, { CallSid: 'CA' + 'd'.repeat(32), Digits: '1' });
        expect(res.status).toBe(200);
        expect(res.body).toContain('<Hangup');
      }
      expect(failures.lines).toEqual([]);
    } finally {
      failures.restore();
      await server.close();
    }
  });
});
