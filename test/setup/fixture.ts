import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RoutingEngine } from '../../src/engine/engine.js';
import type { ConnectorDirectory } from '../../src/connector/connector-directory.js';

/** A document of every kind of object, named after `tag` so that documents of several tests share a store. */
export function supportDocument(tag: string) {
  return {
    workspaces: [
      {
        friendly_name: `Support ${tag}`,
        default_activity: 'Offline',
        timeout_activity: 'Break',
        activities: [{ friendly_name: 'Available', available: true }, { friendly_name: 'Offline' }, { friendly_name: 'Break' }],
        task_channels: [
          { unique_name: 'voice', friendly_name: 'Voice' },
          { unique_name: 'email', friendly_name: 'Email', channel_optimized_routing: true },
        ],
        task_queues: [
          { friendly_name: 'English', target_workers: 'languages HAS "en"', reservation_activity: 'Available' },
          { friendly_name: 'Spanish', target_workers: 'languages HAS "es"', max_reserved_workers: 2 },
          { friendly_name: 'Everyone', target_workers: '1==1', task_order: 'LIFO' },
        ],
        workflows: [
          {
            friendly_name: 'Routing',
            task_reservation_timeout: 30,
            configuration: {
              task_routing: {
                filters: [
                  { filter_friendly_name: 'Spanish', expression: 'language == "es"', targets: [{ queue: 'Spanish', timeout: 60 }, { queue: 'Everyone' }] },
                ],
                default_filter: { queue: 'English' },
              },
            },
          },
        ],
        workers: [
          { friendly_name: 'Alice', activity: 'Available', attributes: { languages: ['en'], level: 2 } },
          { friendly_name: 'Bruno', attributes: { languages: ['en', 'es'] } },
        ],
        phone_numbers: [{ number: phoneNumber(tag), workflow: 'Routing', ivr_menu: `main-${tag}`, max_queue_size: 10 }],
      },
    ],
    ivr_menus: [
      // Listed before the menu it leads to: the plan puts that one first.
      {
        unique_name: `main-${tag}`,
        prompt: 'Press 1 for English, 2 for more.',
        options: [
          { digits: '1', attributes: { language: 'en' } },
          { digits: '2', next_menu: `more-${tag}` },
        ],
      },
      { unique_name: `more-${tag}`, prompt: 'Press 1 for Spanish.', options: [{ digits: '1', attributes: { language: 'es' } }] },
    ],
  };
}

export type SupportDocument = ReturnType<typeof supportDocument>;

/** A number of its own for each tag. */
function phoneNumber(tag: string): string {
  return `+1555${parseInt(tag, 16).toString().padStart(7, '0').slice(-7)}`;
}

export function newTag(): string {
  return randomBytes(3).toString('hex');
}

let dir: string | undefined;

/** Writes a document (YAML from an object, or text as given) to a file of its own; returns its path. */
export async function documentFile(document: unknown, name = 'switchboard.yaml'): Promise<string> {
  dir ??= await mkdtemp(join(tmpdir(), 'switchboard-setup-'));
  const path = join(await mkdtemp(join(dir, 'doc-')), name);
  await writeFile(path, typeof document === 'string' ? document : stringify(document));
  return path;
}

/**
 * Every record of a workspace, of its events, and of the connector's numbers and menus, with their versions and
 * update dates: two equal snapshots mean nothing was written in between.
 */
export async function snapshot(engine: RoutingEngine, directory: ConnectorDirectory, workspaceSid: string): Promise<unknown> {
  const kinds = ['workspace', 'activity', 'taskChannel', 'taskQueue', 'workflow', 'worker', 'task'] as const;
  const records = await Promise.all(
    kinds.map(async (kind) =>
      (kind === 'workspace' ? await engine.store.list('', kind) : await engine.store.list(workspaceSid, kind)).map((r) => [
        kind,
        r.sid,
        r.version,
        r.dateUpdated,
      ]),
    ),
  );
  const connector = [...(await directory.listIvrMenus()), ...(await directory.listPhoneNumbers())].map((r) => [r.sid, r.version, r.dateUpdated]);
  const events = (await engine.store.listEvents(workspaceSid, 0)).length;
  return { records, connector, events };
}
