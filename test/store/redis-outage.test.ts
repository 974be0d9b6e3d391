import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { newSid } from '../../src/core/sid.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';

const haveRedisServer = spawnSync('redis-server', ['--version']).status === 0;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** A Redis of the test's own, so it can be stopped and started again. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let output = '';
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    if (output.includes('Ready to accept connections')) break;
  }
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

describe.skipIf(!haveRedisServer)('redis store when Redis goes away', () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) await stop(child);
  });

  it('fails calls while Redis is down and recovers by itself when it is back', { timeout: 20_000 }, async () => {
    const port = await freePort();
    children.push(await startRedis(port));
    const store = await RedisStore.connect(`redis://127.0.0.1:${port}`);
    try {
      const ws = newSid('WS');
      await store.commit(ws, { unique: [{ op: 'claim', key: 'worker:alice', sid: 'WKa' }] });

      await stop(children[0]!);
      await expect(store.lookupUnique(ws, 'worker:alice')).rejects.toThrow();
      await expect(store.commit(ws, { unique: [{ op: 'claim', key: 'worker:bob', sid: 'WKb' }] })).rejects.toThrow();

      children.push(await startRedis(port));
      // The new server is empty; what matters is that the same store answers again without being rebuilt.
      let answer: string | null | undefined;
      for (let attempt = 0; attempt < 50 && answer === undefined; attempt++) {
        answer = await store.lookupUnique(ws, 'worker:alice').catch(() => undefined);
        if (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(answer).toBeNull();
      await store.commit(ws, { unique: [{ op: 'claim', key: 'worker:alice', sid: 'WKa' }] });
      expect(await store.lookupUnique(ws, 'worker:alice')).toBe('WKa');
    } finally {
      await store.close();
    }
  });
});
