import { TwilioError } from '../core/errors.js';
import type { IvrOption } from '../core/model.js';
import type { SetupKind } from './declared.js';
import { camelCase } from './key-case.js';
import type { IvrMenuState, PhoneNumberState, SetupInput, SetupTarget, WorkspaceContents, WorkspaceState } from './target.js';

/** Where each kind lives in the REST API, under its workspace or the connector, and its lists' key. */
const RESOURCES: Record<SetupKind, { path: string; key: string }> = {
  workspace: { path: 'Workspaces', key: 'workspaces' },
  activity: { path: 'Activities', key: 'activities' },
  taskChannel: { path: 'TaskChannels', key: 'channels' },
  taskQueue: { path: 'TaskQueues', key: 'task_queues' },
  workflow: { path: 'Workflows', key: 'workflows' },
  worker: { path: 'Workers', key: 'workers' },
  ivrMenu: { path: 'Connector/IvrMenus', key: 'ivr_menus' },
  phoneNumber: { path: 'Connector/PhoneNumbers', key: 'phone_numbers' },
};

/** The connector's resources take JSON; TaskRouter's take Twilio's form parameters. */
const JSON_KINDS: ReadonlySet<SetupKind> = new Set(['ivrMenu', 'phoneNumber']);

/** Records read a page at a time: the largest page the API serves. */
const PAGE_SIZE = 1000;

/**
 * A running server, through its REST API with the account's Basic pair: what the `switchboard` command applies a file
 * to, since the server owns its store. Refusals come back as the API's errors, with their codes.
 */
export class HttpTarget implements SetupTarget {
  private readonly authorization: string;

  constructor(
    private readonly baseUrl: string,
    credentials: { accountSid: string; authToken: string },
  ) {
    this.authorization = `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`;
  }

  async listWorkspaces(): Promise<WorkspaceState[]> {
    return (await this.list('Workspaces', 'workspaces')) as unknown as WorkspaceState[];
  }

  async readWorkspace(ws: string): Promise<WorkspaceContents> {
    const read = (kind: SetupKind) => this.list(`Workspaces/${ws}/${RESOURCES[kind].path}`, RESOURCES[kind].key);
    const [activities, channels, queues, workflows, workers] = await Promise.all(
      (['activity', 'taskChannel', 'taskQueue', 'workflow', 'worker'] as const).map(read),
    );
    return { activities, channels, queues, workflows, workers } as unknown as WorkspaceContents;
  }

  async listIvrMenus(): Promise<IvrMenuState[]> {
    const menus = await this.list(RESOURCES.ivrMenu.path, RESOURCES.ivrMenu.key);
    return menus.map((m) => ({
      ...m,
      options: (m.options as Array<Record<string, unknown>>).map((o) => camelCased(o) as unknown as IvrOption),
    })) as unknown as IvrMenuState[];
  }

  async listPhoneNumbers(): Promise<PhoneNumberState[]> {
    return (await this.list(RESOURCES.phoneNumber.path, RESOURCES.phoneNumber.key)) as unknown as PhoneNumberState[];
  }

  /** The server's callback policy is its own: a URL it refuses is refused when its step runs. */
  callbackRefusal(): string | null {
    return null;
  }

  async create(kind: SetupKind, ws: string | null, input: SetupInput): Promise<string> {
    const created = await this.send(this.path(kind, ws), kind, input);
    return created.sid as string;
  }

  async update(kind: SetupKind, ws: string | null, sid: string, input: SetupInput): Promise<void> {
    await this.send(`${this.path(kind, ws)}/${sid}`, kind, input);
  }

  async delete(kind: SetupKind, ws: string | null, sid: string): Promise<void> {
    await this.request('DELETE', `/v1/${this.path(kind, ws)}/${sid}`);
  }

  private path(kind: SetupKind, ws: string | null): string {
    return ws === null ? RESOURCES[kind].path : `Workspaces/${ws}/${RESOURCES[kind].path}`;
  }

  private send(path: string, kind: SetupKind, input: SetupInput): Promise<Record<string, unknown>> {
    if (JSON_KINDS.has(kind)) return this.request('POST', `/v1/${path}`, { 'content-type': 'application/json' }, JSON.stringify(input));
    // Twilio's parameter names: the engine's input names with a capital first letter.
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(input)) form.set(key[0]!.toUpperCase() + key.slice(1), String(value));
    return this.request('POST', `/v1/${path}`, { 'content-type': 'application/x-www-form-urlencoded' }, form.toString());
  }

  /** Every record of a list, page after page, its keys in camelCase as the records of the engine name them. */
  private async list(path: string, key: string): Promise<Array<Record<string, unknown>>> {
    const records: Array<Record<string, unknown>> = [];
    let next: string | null = `/v1/${path}?PageSize=${PAGE_SIZE}`;
    while (next) {
      const page = await this.request('GET', next);
      records.push(...(page[key] as Array<Record<string, unknown>>).map(camelCased));
      const nextUrl = (page.meta as { next_page_url?: string | null } | undefined)?.next_page_url;
      // The next page's URL is built on the server's public URL; only its path and query are asked of this one.
      next = nextUrl ? new URL(nextUrl).pathname + new URL(nextUrl).search : null;
    }
    return records;
  }

  private async request(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Record<string, unknown>> {
    const response = await fetch(new URL(path, this.baseUrl), { method, headers: { authorization: this.authorization, ...headers }, body });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // Not the API's JSON: reported with the status below.
    }
    if (!response.ok) {
      const message = typeof parsed.message === 'string' ? parsed.message : `${method} ${path} answered ${response.status}`;
      throw new TwilioError(typeof parsed.code === 'number' ? parsed.code : response.status, response.status, message);
    }
    return parsed;
  }
}

/** A wire record's top-level keys in camelCase (`target_workers` → `targetWorkers`); values as they are. */
function camelCased(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [camelCase(key), value]));
}
