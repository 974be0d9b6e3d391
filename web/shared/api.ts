import { authorization, type Credentials } from './credentials.ts';

/** An error as the API answers it (Twilio's format), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | null,
    message: string,
  ) {
    super(message);
  }
}

/** Form parameters as TaskRouter takes them: PascalCase names; arrays repeat the name; undefined is left out. */
export type Params = Record<string, string | number | boolean | readonly string[] | undefined>;

/**
 * Switchboard's REST API as the pages use it: TaskRouter's v1 resources and the connector's, with the page's
 * credentials, form-encoded bodies in and snake_case JSON out, errors thrown as `ApiError`.
 */
export class Api {
  constructor(private readonly credentials: Credentials) {}

  get<T>(path: string, query: Params = {}): Promise<T> {
    const search = encode(query);
    return this.send<T>('GET', search ? `${path}?${search}` : path);
  }

  post<T>(path: string, params: Params = {}): Promise<T> {
    return this.send<T>('POST', path, encode(params));
  }

  delete(path: string): Promise<void> {
    return this.send<void>('DELETE', path);
  }

  /** Every item of a paged list (`key` names the list in the page, e.g. `workers`), following `next_page_url`. */
  async list<T>(path: string, key: string, query: Params = {}): Promise<T[]> {
    const items: T[] = [];
    let page = await this.get<Record<string, unknown>>(path, { PageSize: 1000, ...query });
    for (;;) {
      items.push(...((page[key] as T[] | undefined) ?? []));
      const next = (page.meta as { next_page_url?: string | null } | undefined)?.next_page_url;
      if (!next) return items;
      const url = new URL(next);
      page = await this.send<Record<string, unknown>>('GET', url.pathname + url.search);
    }
  }

  private async send<T>(method: string, path: string, body?: string): Promise<T> {
    const headers: Record<string, string> = { Authorization: authorization(this.credentials), Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body });
    } catch (err) {
      throw new ApiError(0, null, `Switchboard could not be reached (${(err as Error).message})`);
    }
    if (res.status === 204) return undefined as T;
    const json = (await res.json().catch(() => null)) as { code?: number; message?: string } | null;
    if (!res.ok) throw new ApiError(res.status, json?.code ?? null, json?.message ?? `${method} ${path} answered ${res.status}`);
    return json as T;
  }
}

function encode(params: Params): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) form.append(name, item);
    else form.append(name, String(value));
  }
  return form.toString();
}
