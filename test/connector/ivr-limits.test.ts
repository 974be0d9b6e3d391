import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { applyConfigFile } from '../../src/connector/config-file.js';
import { heaviestAnswersThrough } from '../../src/connector/menu-graph.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { raw } from '../helpers/http.js';
import { removeKeys, testRedisUrl, uniquePrefix } from '../store/redis-test-server.js';
import { attributes, configureNumber, first, inboundCall, twilioFetch } from './flow-helpers.js';
import { createCallCenter, startConnectorServer, type CallCenter, type ConnectorServer } from './harness.js';

/**
 * What IVR options add to a caller's task is checked when the configuration is written — size, nesting, keys — so
 * that every caller's task fits TaskRouter's 4,096 characters and no caller is hung up on for what they pressed. A
 * bad configuration is a 400 (or a start-up error naming the file entry) and changes nothing; no document, however
 * deep or large, gets a 500 or 503.
 */
const prefix = uniquePrefix();
const stores: Array<[string, () => Promise<RoutingStore | undefined>]> = [
  ['memory', async () => undefined],
  ['Redis', async () => RedisStore.connect(testRedisUrl(), { prefix })],
];

/** An object `depth` levels deep: `{"level":{"level":…{}}}`, written as text so no recursion builds it. */
const nested = (depth: number): string => '{"level":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);

/** Attributes that take exactly `length` characters as JSON. */
function attributesOfLength(length: number, key = 'notes'): Record<string, string> {
  const value = 'x'.repeat(length - JSON.stringify({ [key]: '' }).length);
  return { [key]: value };
}

const menu = (name: string, optionAttributes: unknown, extra: Record<string, unknown> = {}) => ({
  unique_name: name,
  prompt: 'Press 1.',
  options: [{ digits: '1', attributes: optionAttributes, ...extra }],
});

describe.each(stores)('IVR option limits (%s store)', (_name, makeStore) => {
  let server: ConnectorServer;
  let center: CallCenter;
  let dir: string;
  let names = 0;
  const unique = (base: string) => `${base}-${++names}`;

  beforeAll(async () => {
    server = await startConnectorServer({ store: await makeStore() });
    center = await createCallCenter(server);
    dir = await mkdtemp(join(tmpdir(), 'connector-limits-'));
  });
  afterAll(async () => {
    await server.close();
    await removeKeys(prefix);
    await rm(dir, { recursive: true, force: true });
  });

  /** Sends `body` as JSON text, as given: documents no client library would build. */
  async function fetchJson(method: string, path: string, body?: string): Promise<{ status: number; body: any }> {
    const res = await fetch(server.url + path, {
      method,
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Basic ' + Buffer.from(`${server.accountSid}:${server.authToken}`).toString('base64'),
      },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  const postMenu = (document: unknown, path = '/v1/Connector/IvrMenus') => fetchJson('POST', path, JSON.stringify(document));

  function expectRefusal(res: { status: number; body: any }, message: RegExp): void {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ code: 20001, status: 400, more_info: 'https://www.twilio.com/docs/errors/20001' });
    expect(res.body.message).toMatch(message);
  }

  async function menuNamed(name: string): Promise<{ status: number; body: any }> {
    return fetchJson('GET', `/v1/Connector/IvrMenus/${name}`);
  }

  it("refuses an option whose attributes outgrow the answers' share of a task, saying the bound, and changes nothing", async () => {
    const name = unique('big');
    expectRefusal(
      await postMenu(menu(name, attributesOfLength(2049))),
      /options\[0\]\.attributes must take at most 2048 characters as JSON, got 2049: a task's attributes are limited to 4096 characters and half of them is kept for the call's own/,
    );
    expect((await menuNamed(name)).status).toBe(404);

    expect((await postMenu(menu(name, attributesOfLength(2048)))).status).toBe(201);
    const update = await postMenu({ options: [{ digits: '1', attributes: attributesOfLength(3000) }] }, `/v1/Connector/IvrMenus/${name}`);
    expectRefusal(update, /options\[0\]\.attributes must take at most 2048 characters/);
    expect((await menuNamed(name)).body.options[0].attributes).toEqual(attributesOfLength(2048));
  });

  it('refuses menus through which a caller could collect more answers than the bound, naming the way', async () => {
    const leaf = unique('leaf');
    const root = unique('root');
    expect((await postMenu(menu(leaf, attributesOfLength(1200, 'topic')))).status).toBe(201);
    expectRefusal(
      await postMenu(menu(root, attributesOfLength(1000, 'department'), { next_menu_sid: leaf })),
      new RegExp(
        `options: a caller choosing their way through menus ${root} → ${leaf} would add 2200 characters of attributes \\(as JSON\\) to their task; at most 2048 fit`,
      ),
    );
    expect((await menuNamed(root)).status).toBe(404);

    expect((await postMenu(menu(root, attributesOfLength(800, 'department'), { next_menu_sid: leaf }))).status).toBe(201);
    // Growing the menu a caller reaches later is refused too: the way in counts.
    const grown = await postMenu(menu(leaf, attributesOfLength(1300, 'topic')), `/v1/Connector/IvrMenus/${leaf}`);
    expectRefusal(grown, new RegExp(`menus ${root} → ${leaf} would add 2100 characters`));
    expect((await menuNamed(leaf)).body.options[0].attributes).toEqual(attributesOfLength(1200, 'topic'));
  });

  it('refuses deep nesting, __proto__ and the call attributes as keys, in JSON and in forms, with a 400', async () => {
    const name = unique('keys');
    const deep = `{"unique_name":"${name}","prompt":"Press 1.","options":[{"digits":"1","attributes":${nested(10_000)}}]}`;
    expectRefusal(
      await fetchJson('POST', '/v1/Connector/IvrMenus', deep),
      /^options\[0\]\.attributes\.level\.level… nests deeper than 32 levels of objects and lists$/,
    );
    expectRefusal(
      await fetchJson('POST', '/v1/Connector/IvrMenus', deep.replace(nested(10_000), nested(31))),
      /^options\[0\]\.attributes\.level\.level… nests deeper than 32 levels/,
    );
    const form = (options: string) => raw(server, 'POST', '/v1/Connector/IvrMenus', { form: { UniqueName: name, Prompt: 'Press 1.', Options: options } });
    expectRefusal(await form(`[{"digits":"1","attributes":${nested(10_000)}}]`), /^options\[0\]\.attributes\.level\.level… nests deeper than 32 levels/);
    expectRefusal(
      await form('[{"digits":"1","attributes":{"__proto__":{"department":"sales"}}}]'),
      /^options\[0\]\.attributes must not use the key __proto__$/,
    );
    expectRefusal(
      await form('[{"digits":"1","attributes":{"call_sid":"CA00000000000000000000000000000000","from":"+15550000000"}}]'),
      /options\[0\]\.attributes must not set call_sid, from: the task takes them from the call/,
    );
    expectRefusal(await form('[{"digits":"1","attributes":{"from_city":"Nowhere"}}]'), /must not set from_city: the task takes it from the call/);
    expect((await menuNamed(name)).status).toBe(404);

    // Nesting well within the bound is configuration like any other.
    const accepted = await form(`[{"digits":"1","attributes":{"crm":${nested(20)}}}]`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  });

  it("answers deep or huge documents on every connector route with a client error in Twilio's format", async () => {
    const deepValue = '['.repeat(10_000) + ']'.repeat(10_000);
    const routes = [
      '/v1/Connector/PhoneNumbers',
      '/v1/Connector/IvrMenus',
      '/v1/Connector/Tokens',
      '/v1/Connector/MediaTokens',
      `/v1/Connector/Conversations/CH${'0'.repeat(32)}/Messages`,
    ];
    for (const route of routes) {
      for (const body of [`{"number":${deepValue},"Identity":${deepValue},"Body":${deepValue}}`, deepValue, `{"options":${deepValue}}`]) {
        const res = await fetchJson('POST', route, body);
        expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
        expect(res.body).toMatchObject({ code: expect.any(Number), message: expect.any(String), status: res.status });
      }
    }
    const huge = await postMenu(menu(unique('huge'), { notes: 'x'.repeat(2_000_000) }));
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ code: 20001, status: 413 });
    // A form may carry more than a JSON body; the options it carries are still bounded.
    const form = await raw(server, 'POST', '/v1/Connector/IvrMenus', {
      form: { UniqueName: unique('huge'), Prompt: 'Press 1.', Options: JSON.stringify([{ digits: '1', attributes: { notes: 'x'.repeat(1_500_000) } }]) },
    });
    expectRefusal(form, /options\[0\]\.attributes must take at most 2048 characters as JSON, got 1500012/);
    const words = await postMenu({ ...menu(unique('words'), {}), input: ['speech'], options: [{ speech: Array.from({ length: 501 }, (_, i) => `word${i}`) }] });
    expectRefusal(words, /options may list at most 500 speech words in all/);
  });

  it('queues a caller who collected the most answers the menus allow, beside a call with every attribute Twilio sends', async () => {
    const leaf = unique('last');
    const root = unique('first');
    await postMenu(menu(leaf, attributesOfLength(1024, 'topic')));
    expect((await postMenu(menu(root, attributesOfLength(1024, 'department'), { next_menu_sid: leaf }))).status).toBe(201);
    const number = await configureNumber(server, center, { ivr_menu_sid: root });

    const places: Record<string, string> = {};
    for (const party of ['From', 'To', 'Caller', 'Called']) {
      Object.assign(places, { [`${party}City`]: 'SOUTH SAN FRANCISCO', [`${party}State`]: 'CA', [`${party}Zip`]: '94080', [`${party}Country`]: 'US' });
    }
    const call = inboundCall(number.number, places);
    const asked = await twilioFetch(server, `${server.url}/webhooks/voice`, call);
    const next = await twilioFetch(server, first(asked, 'Gather').attributes.action!, { ...call, CallStatus: 'in-progress', Digits: '1' });
    const queued = await twilioFetch(server, first(next, 'Gather').attributes.action!, { ...call, CallStatus: 'in-progress', Digits: '1' });
    const task = await server.engine.store.get(center.workspaceSid, 'task', first(queued, 'Enqueue').text);
    expect(task).not.toBeNull();
    expect(attributes(task!)).toMatchObject({
      ...attributesOfLength(1024, 'department'),
      ...attributesOfLength(1024, 'topic'),
      call_sid: call.CallSid,
      called_city: 'SOUTH SAN FRANCISCO',
    });
  });

  it('stops start-up on a configuration file with an oversized option, naming the entry, before writing anything', async () => {
    const write = async (content: unknown) => {
      const path = join(dir, `${unique('config')}.json`);
      await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
      return path;
    };
    const fine = unique('fine');
    const failure = async (content: unknown) =>
      applyConfigFile(server.connector.directory, await write(content)).then(
        () => null,
        (err: unknown) => err as Error,
      );

    const oversized = await failure({ ivr_menus: [menu(fine, { department: 'sales' }), menu(unique('bad'), attributesOfLength(2500))] });
    expect(oversized).toBeInstanceOf(ConfigError);
    expect(oversized!.message).toMatch(
      /^CONNECTOR_CONFIG \(.+\): ivr_menus\[1\]\.options\[0\]\.attributes must take at most 2048 characters as JSON, got 2500/,
    );

    const leaf = unique('file-leaf');
    const summed = await failure({
      ivr_menus: [menu(fine, attributesOfLength(1500, 'department'), { next_menu_sid: leaf }), menu(leaf, attributesOfLength(1500, 'topic'))],
    });
    expect(summed).toBeInstanceOf(ConfigError);
    expect(summed!.message).toMatch(
      new RegExp(`ivr_menus\\[\\d\\]\\.options: a caller choosing their way through menus ${fine} → ${leaf} would add 3000 characters`),
    );

    const deep = await failure(
      `{"ivr_menus":[${JSON.stringify(menu(fine, {}))},{"unique_name":"deep","prompt":"Press 1.","options":[{"digits":"1","attributes":${nested(10_000)}}]}]}`,
    );
    expect(deep).toBeInstanceOf(ConfigError);
    expect(deep!.message).toMatch(/: ivr_menus\[1\]\.options\[0\]\.attributes… nests deeper than 32 levels/);

    const numbered = await failure({
      ivr_menus: [menu(fine, { department: 'sales' })],
      phone_numbers: [{ number: '+15550003000', workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid, announce_every_seconds: 1 }],
    });
    expect(numbered!.message).toMatch(/phone_numbers\[0\]\.announce_every_seconds must be an integer between 5 and 600/);
    // None of these files wrote the menus before the bad entry.
    expect((await menuNamed(fine)).status).toBe(404);
    expect((await menuNamed(leaf)).status).toBe(404);
  });
});

describe('answers along the menus', () => {
  const option = (length: number, next: string | null = null) => ({ digits: '1', speech: [], attributes: attributesOfLength(length), nextMenuSid: next });
  // Two ways into `mid` (from `a` heavier than from `b`), two ways on (to `end`, or staying put with a heavier option).
  const menus = new Map([
    ['IMa', { uniqueName: 'a', options: [option(300, 'IMmid'), option(50)] }],
    ['IMb', { uniqueName: 'b', options: [option(100, 'IMmid')] }],
    ['IMmid', { uniqueName: 'mid', options: [option(200, 'IMend'), option(400)] }],
    ['IMend', { uniqueName: 'end', options: [option(250)] }],
    ['IMalone', { uniqueName: 'alone', options: [option(20)] }],
  ]);

  it('takes the heaviest way in and the heaviest way on through a menu', () => {
    expect(heaviestAnswersThrough('IMmid', menus)).toEqual({ menus: ['a', 'mid', 'end'], length: 300 + 200 + 250 });
    expect(heaviestAnswersThrough('IMb', menus)).toEqual({ menus: ['b', 'mid', 'end'], length: 100 + 200 + 250 });
    expect(heaviestAnswersThrough('IMend', menus)).toEqual({ menus: ['a', 'mid', 'end'], length: 300 + 200 + 250 });
    expect(heaviestAnswersThrough('IMalone', menus)).toEqual({ menus: ['alone'], length: 20 });
  });
});
