import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Signs in to the admin console at `url` with a Basic pair, through its form. */
export async function signInAsAdmin(page: Page, user: string, password: string): Promise<void> {
  await page.getByLabel('Key or account SID').fill(user);
  await page.getByLabel('Secret').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}

/** Opens one of the console's sections from the side. */
export async function openSection(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true }).click();
  await page.getByRole('heading', { name, exact: true, level: 2 }).waitFor();
}

/** Chooses `workspace` in the console's picker. */
export async function chooseWorkspace(page: Page, workspace: string): Promise<void> {
  await page.getByLabel('Workspace', { exact: true }).selectOption({ label: workspace });
}

/** The rows of the table labelled `name` once one of them shows `text`. */
export async function rowWith(page: Page, table: string, text: string) {
  const row = page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: text });
  await row.first().waitFor();
  expect(await row.count()).toBe(1);
  return row;
}

/** A short random suffix that keeps names apart between tests sharing a server. */
export const unique = (): string => randomBytes(3).toString('hex');

/** The console in a fresh page; a control that never turns up fails the step, not the whole test's time. */
export async function openConsole(browser: { open(url: string): Promise<Page> }, url: string): Promise<Page> {
  const page = await browser.open(url);
  page.setDefaultTimeout(8_000);
  return page;
}

/** The account's Basic `Authorization` header, for reading the API beside the page. */
export function basicHeader(server: { accountSid: string; authToken: string }): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${server.accountSid}:${server.authToken}`).toString('base64')}` };
}
