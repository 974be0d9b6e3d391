import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { mintTaskRouterToken, verifyTaskRouterToken, type SigningKey } from '../../src/access/taskrouter-token.js';
import { TokenScope } from '../../src/access/token-scope.js';
import { TwilioError } from '../../src/core/errors.js';
import { newSid } from '../../src/core/sid.js';

const accountSid = 'AC' + randomBytes(16).toString('hex');
const key = (): SigningKey => ({ sid: 'SK' + randomBytes(16).toString('hex'), secret: randomBytes(16).toString('hex') });
const current = key();
const retiring = key();
const ws = newSid('WS');
const wk = newSid('WK');
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

/** A token as a deployment's backend signs it with twilio-node, at `iat` (epoch seconds). */
function backendToken(signer: SigningKey, grant: Record<string, string | undefined>, options: { ttl?: number; account?: string } = {}): string {
  const token = new twilio.jwt.AccessToken(options.account ?? accountSid, signer.sid, signer.secret, { identity: 'alice', ttl: options.ttl ?? 3600 });
  token.addGrant(new twilio.jwt.AccessToken.TaskRouterGrant(grant));
  return token.toJwt();
}

function codeOf(run: () => unknown): number | undefined {
  try {
    run();
  } catch (err) {
    if (err instanceof TwilioError) return err.code;
    throw err;
  }
  return undefined;
}

const now = () => Date.now();

describe('TaskRouter tokens', () => {
  it('accepts a worker token signed by twilio-node with any configured key, and reads its grant', () => {
    for (const signer of [current, retiring]) {
      const claims = verifyTaskRouterToken(backendToken(signer, { workspaceSid: ws, workerSid: wk, role: 'worker' }), [current, retiring], accountSid, now());
      expect(claims).toMatchObject({ accountSid, identity: 'alice', workspaceSid: ws, workerSid: wk, role: 'worker' });
      expect(claims.expiresAt).toBeGreaterThan(now());
    }
  });

  it('mints tokens that verify, with the ttl asked for', () => {
    const token = mintTaskRouterToken(accountSid, current, { identity: 'sup', workspaceSid: ws, workerSid: null, role: 'admin' }, 600);
    const claims = verifyTaskRouterToken(token, [current], accountSid, now());
    expect(claims).toMatchObject({ identity: 'sup', workspaceSid: ws, workerSid: null, role: 'admin' });
    const decoded = jwt.decode(token, { complete: true })!;
    expect(decoded.header).toMatchObject({ alg: 'HS256', cty: 'twilio-fpa;v=1' });
    const payload = decoded.payload as jwt.JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(600);
  });

  it("refuses a token signed by a key that is not configured, with another key's secret, or tampered with", () => {
    const stranger = key();
    expect(codeOf(() => verifyTaskRouterToken(backendToken(stranger, { workspaceSid: ws, workerSid: wk, role: 'worker' }), [current], accountSid, now()))).toBe(
      20103,
    );
    const forged = backendToken({ sid: current.sid, secret: retiring.secret }, { workspaceSid: ws, workerSid: wk, role: 'worker' });
    expect(codeOf(() => verifyTaskRouterToken(forged, [current, retiring], accountSid, now()))).toBe(20107);
    const [header, payload, signature] = backendToken(current, { workspaceSid: ws, workerSid: wk, role: 'worker' }).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    claims.grants.task_router.role = 'admin';
    const tampered = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    expect(codeOf(() => verifyTaskRouterToken(tampered, [current], accountSid, now()))).toBe(20107);
  });

  it('refuses an unsigned token, garbage and a token for another account', () => {
    const unsigned = jwt.sign({ iss: current.sid, sub: accountSid, grants: { task_router: { workspace_sid: ws, worker_sid: wk, role: 'admin' } } }, '', {
      algorithm: 'none',
      expiresIn: 3600,
    });
    expect(codeOf(() => verifyTaskRouterToken(unsigned, [current], accountSid, now()))).toBe(20101);
    expect(codeOf(() => verifyTaskRouterToken('not.a.token', [current], accountSid, now()))).toBe(20101);
    const other = backendToken(current, { workspaceSid: ws, workerSid: wk, role: 'worker' }, { account: 'AC' + randomBytes(16).toString('hex') });
    expect(codeOf(() => verifyTaskRouterToken(other, [current], accountSid, now()))).toBe(20103);
  });

  it('refuses an expired token, measured against the clock it is given', () => {
    const token = backendToken(current, { workspaceSid: ws, workerSid: wk, role: 'worker' }, { ttl: 60 });
    expect(codeOf(() => verifyTaskRouterToken(token, [current], accountSid, now() + 30_000))).toBeUndefined();
    expect(codeOf(() => verifyTaskRouterToken(token, [current], accountSid, now() + 61_000))).toBe(20104);
    const forever = jwt.sign(
      { iss: current.sid, sub: accountSid, grants: { task_router: { workspace_sid: ws, worker_sid: wk, role: 'worker' } } },
      current.secret,
    );
    expect(codeOf(() => verifyTaskRouterToken(forever, [current], accountSid, now()))).toBe(20104);
  });

  it('refuses grants that name no workspace, no known role, or a worker role without its worker', () => {
    for (const grant of [
      { workerSid: wk, role: 'worker' },
      { workspaceSid: ws, workerSid: wk, role: 'owner' },
      { workspaceSid: ws, role: 'worker' },
    ]) {
      expect(codeOf(() => verifyTaskRouterToken(backendToken(current, grant), [current], accountSid, now()))).toBe(20106);
    }
    const voiceOnly = new twilio.jwt.AccessToken(accountSid, current.sid, current.secret, { identity: 'alice' });
    voiceOnly.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ incomingAllow: true }));
    expect(codeOf(() => verifyTaskRouterToken(voiceOnly.toJwt(), [current], accountSid, now()))).toBe(20106);
  });

  it('keeps a minted token within its ttl bounds', () => {
    for (const ttl of [0, 59, 86_401, 1.5]) {
      expect(codeOf(() => mintTaskRouterToken(accountSid, current, { identity: 'a', workspaceSid: ws, workerSid: wk, role: 'worker' }, ttl))).toBe(20001);
    }
  });
});

describe('what a token may reach', () => {
  const worker = new TokenScope({ accountSid, identity: 'a', workspaceSid: ws, workerSid: wk, role: 'worker', expiresAt: NOW + 1000 });
  const admin = new TokenScope({ accountSid, identity: 's', workspaceSid: ws, workerSid: null, role: 'admin', expiresAt: NOW + 1000 });
  const otherWs = newSid('WS');
  const otherWk = newSid('WK');
  const task = newSid('WT');

  it('lets a worker token reach its own worker only, in its own workspace', () => {
    expect(codeOf(() => worker.worker(ws, wk))).toBeUndefined();
    expect(codeOf(() => worker.worker(ws, otherWk))).toBe(20403);
    expect(codeOf(() => worker.worker(otherWs, wk))).toBe(20403);
    expect(codeOf(() => worker.admin(ws))).toBe(20403);
  });

  it('lets an admin token reach any worker of its workspace, and nothing of another', () => {
    expect(codeOf(() => admin.worker(ws, otherWk))).toBeUndefined();
    expect(codeOf(() => admin.admin(ws))).toBeUndefined();
    expect(codeOf(() => admin.worker(otherWs, otherWk))).toBe(20403);
  });

  it('lets a worker reach a task only while it holds a reservation for it', async () => {
    const asked: string[] = [];
    const holds = (answer: boolean) => async (workerSid: string) => (asked.push(workerSid), answer);
    await expect(worker.task(ws, task, holds(true))).resolves.toBeUndefined();
    await expect(worker.task(ws, task, holds(false))).rejects.toMatchObject({ code: 20403, status: 403 });
    await expect(worker.task(otherWs, task, holds(true))).rejects.toMatchObject({ code: 20403 });
    await expect(admin.task(ws, task, holds(false))).resolves.toBeUndefined();
    expect(asked).toEqual([wk, wk]);
  });
});
