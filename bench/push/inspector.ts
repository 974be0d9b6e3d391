/**
 * The server's memory as its own V8 sees it, read from outside through the inspector the server was started with
 * (`--inspect=127.0.0.1:0`): a full garbage collection first (HeapProfiler.collectGarbage), then
 * `process.memoryUsage()`. Nothing in the server is changed for it; the session is opened for each reading and
 * closed again, so no inspector client is attached while the load runs.
 */
import WebSocket from 'ws';

export interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** The inspector's URL, from the line node prints on stderr at start. */
export function inspectorUrlIn(line: string): string | null {
  return /Debugger listening on (ws:\/\/\S+)/.exec(line)?.[1] ?? null;
}

export async function memoryAfterGc(url: string): Promise<Memory> {
  const ws = new WebSocket(url);
  let failed: (err: Error) => void = () => {};
  ws.on('error', (err) => failed(err));
  await new Promise((resolve, reject) => {
    failed = reject;
    ws.once('open', resolve);
  });
  let id = 0;
  const send = (method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const mine = ++id;
      const listen = (data: Buffer): void => {
        const message = JSON.parse(data.toString('utf8')) as { id?: number; result?: Record<string, unknown>; error?: unknown };
        if (message.id !== mine) return;
        ws.off('message', listen);
        if (message.error) reject(new Error(JSON.stringify(message.error)));
        else resolve(message.result ?? {});
      };
      ws.on('message', listen);
      failed = reject;
      ws.send(JSON.stringify({ id: mine, method, params }));
    });
  try {
    // Twice: what the first collection finds only unreachable (weak references, finalizers) goes in the second.
    await send('HeapProfiler.collectGarbage');
    await send('HeapProfiler.collectGarbage');
    const result = await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    return JSON.parse((result.result as { value: string }).value) as Memory;
  } finally {
    ws.close();
  }
}
