import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { refuseRequest } from '../../src/sockets/request-refusal.js';
import { upgradeRouterOf } from '../../src/sockets/upgrade-router.js';
import { notFound } from '../../src/core/errors.js';
import { captureLogs } from '../helpers/log-capture.js';
import { exchange, upgradeRequest } from './raw-http.js';

describe('upgrade router', () => {
  let server: Server;
  let port: number;

  beforeEach(async () => {
    server = createServer((_req, res) => res.end('plain'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('dispatches by how the path ends, answers unknown paths with a 404, and serves each path once', async () => {
    const router = upgradeRouterOf(server);
    expect(upgradeRouterOf(server)).toBe(router);
    const seen: string[] = [];
    const unroute = router.route('/v1/Thing', ({ socket, target }) => {
      seen.push(target.pathAndQuery);
      refuseRequest(socket, notFound('no thing here'));
    });
    expect(() => router.route('/v1/Thing', () => {})).toThrow(/already served/);
    expect((await exchange(port, upgradeRequest('/prefix/v1/Thing/?a=1'))).body).toMatchObject({ status: 404, message: 'no thing here' });
    expect((await exchange(port, upgradeRequest('/v1/Other'))).body).toMatchObject({
      code: 20404,
      status: 404,
      message: 'The requested resource /v1/Other was not found',
    });
    unroute();
    expect((await exchange(port, upgradeRequest('/v1/Thing'))).body).toMatchObject({ code: 20404 });
    expect(seen).toEqual(['/prefix/v1/Thing/?a=1']);
  });

  it('destroys the connection of an endpoint that throws or rejects, logs it, and goes on serving', async () => {
    const logs = captureLogs('error');
    const router = upgradeRouterOf(server);
    router.route('/throws', () => {
      throw new Error('endpoint bug');
    });
    router.route('/rejects', async () => {
      await Promise.resolve();
      throw new Error('endpoint bug, later');
    });
    await expect(exchange(port, upgradeRequest('/throws'))).rejects.toThrow(/connection closed before a whole response/);
    await expect(exchange(port, upgradeRequest('/rejects'))).rejects.toThrow(/connection closed before a whole response/);
    logs.restore();
    expect(logs.lines.map((line) => [line.msg, line.path])).toEqual([
      ['WebSocket upgrade failed', '/throws'],
      ['WebSocket upgrade failed', '/rejects'],
    ]);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('plain');
  });
});
