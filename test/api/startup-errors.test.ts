import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../helpers/listen.js';
import { startServerProcess } from '../helpers/server-process.js';

const credentials = { TWILIO_ACCOUNT_SID: 'AC' + randomBytes(16).toString('hex'), TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex') };

describe('start-up failures an operator can act on', () => {
  it('names REDIS_URL, hides its password and prints no stack when Redis cannot be reached', async () => {
    const port = await closedPort();
    const failure = await startServerProcess({ ...credentials, REDIS_URL: `redis://:hunter2secret@127.0.0.1:${port}` }).then(
      () => null,
      (err: Error) => err.message,
    );
    expect(failure).toMatch(/exited with 1/);
    expect(failure).toContain(`Start-up failed: cannot reach Redis at REDIS_URL=redis://:***@127.0.0.1:${port}`);
    expect(failure).toContain('ECONNREFUSED');
    expect(failure).not.toContain('hunter2secret');
    expect(failure).not.toMatch(/^\s+at /m);
  });

  it('refuses a shared Redis store without configured credentials', async () => {
    const failure = await startServerProcess({ REDIS_URL: 'redis://127.0.0.1:6379', TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' }).then(
      () => null,
      (err: Error) => err.message,
    );
    expect(failure).toMatch(/Configuration error: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set when REDIS_URL is/);
  });
});
