import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestServer } from '../helpers/server.js';

/** A worker's sign-in link as an administrator issues it: a token from `POST …/Tokens`, in the page's `#token=`. */
export async function signInLink(server: TestServer, workspaceSid: string, workerSid: string, ttl = 3600): Promise<string> {
  const res = await fetch(`${server.url}/v1/Workspaces/${workspaceSid}/Tokens`, {
    method: 'POST',
    headers: { Authorization: basic(server), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ WorkerSid: workerSid, Ttl: String(ttl) }).toString(),
  });
  expect(res.status).toBe(201);
  const { token } = (await res.json()) as { token: string };
  return `${server.url}/agent#token=${token}`;
}

/** The account's Basic `Authorization` header. */
export function basic(server: TestServer): string {
  return `Basic ${Buffer.from(`${server.accountSid}:${server.authToken}`).toString('base64')}`;
}

/** `expect.poll` with time enough for a page, a socket and the engine to catch up. */
export function eventually<T>(probe: () => T | Promise<T>) {
  return expect.poll(probe, { timeout: 10_000, interval: 50 });
}

/** Waits until the desk says its worker is connected. */
export async function connected(page: Page): Promise<void> {
  await eventually(() => page.getByRole('status', { name: 'Connection' }).textContent()).toBe('Connected');
}

/** Chooses an activity in the desk's "Activity" selector. */
export async function chooseActivity(page: Page, name: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Activity' }).selectOption({ label: name });
}

/**
 * A script for a page's start (`page.addInitScript`) that makes its tab look hidden and counts, in `window.seen`, the
 * tones it makes (Web Audio oscillators) and the notifications it shows, which are recorded instead of shown. Source
 * text, since it runs in the browser.
 */
export const BACKGROUND_TAB_PROBE = `
  const seen = { tones: 0, notifications: [] };
  window.seen = seen;
  Object.defineProperty(document, 'hidden', { get: () => true });
  const createOscillator = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () {
    seen.tones++;
    return createOscillator.call(this);
  };
  const Real = window.Notification;
  window.Notification = Object.assign(
    function (title, options) {
      seen.notifications.push({ title, body: options && options.body });
      return {};
    },
    { permission: Real.permission, requestPermission: () => Real.requestPermission() },
  );
`;
