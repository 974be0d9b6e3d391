import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySetupFile } from '../../src/setup/apply.js';
import { EngineTarget } from '../../src/setup/engine-target.js';
import { HttpTarget } from '../../src/setup/http-target.js';
import { planText } from '../../src/setup/plan-text.js';
import { SettingsReader } from '../../src/connector/settings-reader.js';
import { SetupError } from '../../src/setup/setup-error.js';
import type { SetupTarget } from '../../src/setup/target.js';
import { bothStores } from '../helpers/both-stores.js';
import { LOOPBACK_CALLBACKS } from '../helpers/callbacks.js';
import { startConnectorServer, type ConnectorServer } from '../connector/harness.js';
import { documentFile, newTag, snapshot, supportDocument, type SupportDocument } from './fixture.js';

const TARGETS: Array<[string, (server: ConnectorServer) => SetupTarget]> = [
  ['in-process', (server) => new EngineTarget(server.engine, server.connector.directory, LOOPBACK_CALLBACKS)],
  ['REST API', (server) => new HttpTarget(server.url, server)],
];

describe.each(bothStores('setup-apply'))('%s store', (_name, openStore) => {
  let server: ConnectorServer;
  beforeAll(async () => {
    server = await startConnectorServer({ store: await openStore() });
  });
  afterAll(() => server.close());

  const workspaceSid = async (name: string): Promise<string> => (await server.engine.store.list('', 'workspace')).find((w) => w.friendlyName === name)!.sid;
  const state = async (document: SupportDocument) =>
    snapshot(server.engine, server.connector.directory, await workspaceSid(document.workspaces[0]!.friendly_name));

  it('applies the example support line, and applying it again changes nothing', async () => {
    const target = TARGETS[0]![1](server);
    const first = await applySetupFile(target, 'examples/support-line.yaml');
    expect(first.steps.length).toBeGreaterThan(0);
    const ws = await workspaceSid('Support line');
    const queues = await server.client.taskrouter.v1.workspaces(ws).taskQueues.list();
    expect(queues.map((q) => q.friendlyName).sort()).toEqual(['English support', 'Everyone', 'Spanish support']);
    const number = await server.connector.directory.phoneNumber('+15550100100');
    expect(number.ivrMenuSid).toBe((await server.connector.directory.ivrMenu('language')).sid);
    const before = await snapshot(server.engine, server.connector.directory, ws);
    const second = await applySetupFile(target, 'examples/support-line.yaml');
    expect(second.steps).toEqual([]);
    expect(await snapshot(server.engine, server.connector.directory, ws)).toEqual(before);
  });

  describe.each(TARGETS)('through the %s', (_target, targetOf) => {
    let target: SetupTarget;
    beforeAll(() => {
      target = targetOf(server);
    });

    it('creates every object, and a second apply plans nothing and writes nothing', async () => {
      const document = supportDocument(newTag());
      const file = await documentFile(document);
      const first = await applySetupFile(target, file);
      // Offline, Available, voice exist in every new workspace: they are compared, not created.
      expect(first.steps.filter((s) => s.action === 'create').map((s) => `${s.kind} ${s.name}`)).toEqual([
        `workspace ${document.workspaces[0]!.friendly_name}`,
        'activity Break',
        'taskChannel email',
        'taskQueue English',
        'taskQueue Spanish',
        'taskQueue Everyone',
        'workflow Routing',
        'worker Alice',
        'worker Bruno',
        `ivrMenu ${document.ivr_menus[1]!.unique_name}`,
        `ivrMenu ${document.ivr_menus[0]!.unique_name}`,
        `phoneNumber ${document.workspaces[0]!.phone_numbers[0]!.number}`,
      ]);
      const ws = await workspaceSid(document.workspaces[0]!.friendly_name);
      const config = await server.engine.workspaceConfig(ws);
      const activity = (name: string) => [...config.activities.values()].find((a) => a.friendlyName === name)!.sid;
      expect(config.workspace.timeoutActivitySid).toBe(activity('Break'));
      const queue = (name: string) => [...config.queues.values()].find((q) => q.friendlyName === name)!;
      expect(queue('English').reservationActivitySid).toBe(activity('Available'));
      const workflow = [...config.workflows.values()][0]!;
      expect(JSON.parse(workflow.configuration).task_routing.default_filter.queue).toBe(queue('English').sid);
      const workers = await server.engine.store.list(ws, 'worker');
      expect(workers.find((w) => w.friendlyName === 'Alice')!.activitySid).toBe(activity('Available'));
      const number = await server.connector.directory.phoneNumber(document.workspaces[0]!.phone_numbers[0]!.number);
      expect(number).toMatchObject({ workspaceSid: ws, workflowSid: workflow.sid, maxQueueSize: 10 });

      const before = await state(document);
      const second = await applySetupFile(target, file);
      expect(second.steps).toEqual([]);
      expect(second.unchanged).toBe(first.steps.length + first.unchanged);
      expect(await state(document)).toEqual(before);
    });

    it('converges on a changed file, changing only what changed', async () => {
      const document = supportDocument(newTag());
      await applySetupFile(target, await documentFile(document));
      const ws = await workspaceSid(document.workspaces[0]!.friendly_name);
      const alice = (await server.engine.store.list(ws, 'worker')).find((w) => w.friendlyName === 'Alice')!;
      // Alice becomes unavailable meanwhile: her activity is hers, not the file's.
      const offline = [...(await server.engine.workspaceConfig(ws)).activities.values()].find((a) => a.friendlyName === 'Offline')!;
      await server.engine.updateWorker(ws, alice.sid, { activitySid: offline.sid });

      const changed = structuredClone(document);
      const w = changed.workspaces[0]!;
      w.workers[0]!.attributes = { languages: ['en'], seniority: 2 } as never; // attribute renamed
      w.task_queues[1]!.target_workers = 'languages HAS "es" OR spanish == true';
      w.workers.push({ friendly_name: 'Carmen', attributes: { languages: ['es'] } });
      w.workflows[0]!.configuration.task_routing.filters[0]!.targets[0]!.timeout = 90;
      const file = await documentFile(changed);
      const plan = await applySetupFile(target, file);
      expect(plan.steps.map((s) => [s.action, s.kind, s.name, s.changes.map((c) => c.field)])).toEqual([
        ['update', 'taskQueue', 'Spanish', ['target_workers']],
        ['update', 'workflow', 'Routing', ['configuration']],
        ['update', 'worker', 'Alice', ['attributes']],
        ['create', 'worker', 'Carmen', ['attributes']],
      ]);
      const workers = await server.engine.store.list(ws, 'worker');
      const aliceNow = workers.find((x) => x.friendlyName === 'Alice')!;
      expect(JSON.parse(aliceNow.attributes)).toEqual({ languages: ['en'], seniority: 2 });
      expect(aliceNow.activitySid).toBe(offline.sid);
      expect(workers.map((x) => x.friendlyName).sort()).toEqual(['Alice', 'Bruno', 'Carmen']);
      const spanish = [...(await server.engine.workspaceConfig(ws)).queues.values()].find((q) => q.friendlyName === 'Spanish')!;
      expect(spanish.targetWorkers).toBe('languages HAS "es" OR spanish == true');
      // Carmen (spanish) and Bruno (english and spanish) are in the queue the new expression makes.
      expect(
        workers
          .filter((x) => x.queueSids.includes(spanish.sid))
          .map((x) => x.friendlyName)
          .sort(),
      ).toEqual(['Bruno', 'Carmen']);
      const workflow = [...(await server.engine.workspaceConfig(ws)).workflows.values()][0]!;
      expect(JSON.parse(workflow.configuration).task_routing.filters[0].targets[0]).toEqual({ queue: spanish.sid, timeout: 90 });

      expect((await applySetupFile(target, file)).steps).toEqual([]);
    });

    it('plans without changing anything on a dry run', async () => {
      const document = supportDocument(newTag());
      await applySetupFile(target, await documentFile(document));
      const before = await state(document);
      const changed = structuredClone(document);
      changed.workspaces[0]!.task_queues[0]!.max_reserved_workers = 3;
      changed.ivr_menus[1]!.prompt = 'Oprima 1.';
      changed.workspaces[0]!.phone_numbers[0]!.max_queue_size = 5;
      const file = await documentFile(changed);
      const plan = await applySetupFile(target, file, { dryRun: true });
      expect(plan.steps.map((s) => `${s.action} ${s.kind} ${s.name}`)).toEqual([
        'update taskQueue English',
        `update ivrMenu ${changed.ivr_menus[1]!.unique_name}`,
        `update phoneNumber ${changed.workspaces[0]!.phone_numbers[0]!.number}`,
      ]);
      expect(plan.steps[0]!.changes).toEqual([{ field: 'max_reserved_workers', from: 1, to: 3 }]);
      expect(planText(plan)).toContain(`~ update task queue 'English' in '${document.workspaces[0]!.friendly_name}'\n    max_reserved_workers: 1 → 3`);
      expect(await state(document)).toEqual(before);
      // The same plan is still to do.
      expect((await applySetupFile(target, file, { dryRun: true })).steps).toHaveLength(3);
    });

    it('prunes what the document does not mention when asked to, and only then', async () => {
      const tag = newTag();
      const document = supportDocument(tag);
      const file = await documentFile(document);
      // In a new workspace, what the server puts there and the document does not name goes as soon as it exists.
      const created = await applySetupFile(target, file, { prune: true });
      expect(created.steps.filter((step) => step.action === 'delete').map((step) => `${step.kind} ${step.name}`)).toEqual([
        'activity Unavailable',
        'taskChannel default',
        'taskChannel sms',
        'taskChannel chat',
        'taskChannel video',
      ]);
      const ws = await workspaceSid(document.workspaces[0]!.friendly_name);
      expect((await server.engine.workspaceConfig(ws)).channels.map((c) => c.uniqueName).sort()).toEqual(['email', 'voice']);
      const { directory } = server.connector;
      await server.engine.createTaskQueue(ws, { friendlyName: 'Extra', targetWorkers: '1==1' });
      await server.engine.createWorker(ws, { friendlyName: 'Zed' });
      const workflowSid = [...(await server.engine.workspaceConfig(ws)).workflows.values()][0]!.sid;
      const menu = `extra-${tag}`;
      await directory.createIvrMenu(SettingsReader.of({ unique_name: menu, prompt: 'Hi.', options: [{ digits: '1' }] }));
      const extraNumber = `+1666${parseInt(tag, 16).toString().padStart(7, '0').slice(-7)}`;
      await directory.createPhoneNumber(SettingsReader.of({ number: extraNumber, workspace_sid: ws, workflow_sid: workflowSid, ivr_menu_sid: menu }));

      expect((await applySetupFile(target, file)).steps).toEqual([]);
      const pruned = await applySetupFile(target, file, { prune: true });
      expect(pruned.steps.map((step) => `${step.action} ${step.kind} ${step.name}`)).toEqual([
        `delete phoneNumber ${extraNumber}`,
        `delete ivrMenu ${menu}`,
        'delete worker Zed',
        'delete taskQueue Extra',
      ]);
      const config = await server.engine.workspaceConfig(ws);
      expect([...config.queues.values()].map((q) => q.friendlyName).sort()).toEqual(['English', 'Everyone', 'Spanish']);
      expect(config.channels.map((c) => c.uniqueName).sort()).toEqual(['email', 'voice']);
      expect((await server.engine.store.list(ws, 'worker')).map((w) => w.friendlyName).sort()).toEqual(['Alice', 'Bruno']);
      expect(await directory.findPhoneNumber(extraNumber)).toBeNull();
      expect((await directory.listIvrMenus()).some((m) => m.uniqueName === menu)).toBe(false);
      expect((await applySetupFile(target, file, { prune: true })).steps).toEqual([]);

      // An activity a remaining worker is in cannot go: refused before anything is written.
      const before = await state(document);
      const alice = (await server.engine.store.list(ws, 'worker')).find((w) => w.friendlyName === 'Alice')!;
      const withoutBreak = structuredClone(document);
      withoutBreak.workspaces[0]!.activities.pop();
      withoutBreak.workspaces[0]!.timeout_activity = 'Offline';
      const breakSid = [...config.activities.values()].find((a) => a.friendlyName === 'Break')!.sid;
      await server.engine.updateWorker(ws, alice.sid, { activitySid: breakSid });
      const moved = await state(document);
      expect(moved).not.toEqual(before);
      const error = await applySetupFile(target, await documentFile(withoutBreak), { prune: true }).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(SetupError);
      expect((error as SetupError).path).toBe('workspaces[0].activities');
      expect(await state(document)).toEqual(moved);
    });

    it('refuses a document with a problem, naming the file, the path and the problem, and changes nothing', async () => {
      const document = supportDocument(newTag());
      await applySetupFile(target, await documentFile(document));
      const before = await state(document);
      // Each document also changes something valid earlier on: none of it may be written.
      const broken = (breakIt: (d: SupportDocument) => void): SupportDocument => {
        const d = structuredClone(document);
        d.workspaces[0]!.task_queues[2]!.target_workers = 'level > 1';
        breakIt(d);
        return d;
      };
      const cases: Array<[SupportDocument, string]> = [
        [broken((d) => void (d.workspaces[0]!.workers[1]!.activity = 'Lunch')), 'workspaces[0].workers[1].activity'],
        [broken((d) => void ((d.workspaces[0]!.workers[1] as Record<string, unknown>).atributes = {})), 'workspaces[0].workers[1].atributes'],
        [broken((d) => void (d.workspaces[0]!.task_queues[1]!.target_workers = 'languages HAS')), 'workspaces[0].task_queues[1].target_workers'],
        [
          broken((d) => void (d.workspaces[0]!.workflows[0]!.configuration.task_routing.default_filter.queue = 'French')),
          'workspaces[0].workflows[0].configuration',
        ],
        [broken((d) => void (d.workspaces[0]!.phone_numbers[0]!.workflow = 'Sales')), 'workspaces[0].phone_numbers[0].workflow'],
        [
          broken((d) => void ((d.workspaces[0]!.workflows[0]!.configuration.task_routing.filters[0]!.targets[1] as Record<string, unknown>).timout = 5)),
          'workspaces[0].workflows[0].configuration.task_routing.filters[0].targets[1].timout',
        ],
        [broken((d) => void (d.ivr_menus[0]!.options[1]!.next_menu = 'nowhere')), 'ivr_menus[0].options[1].next_menu'],
        [broken((d) => void (d.ivr_menus[1]!.options[0]!.next_menu = d.ivr_menus[0]!.unique_name)), 'ivr_menus[0].options'],
        [broken((d) => void (d.workspaces[0]!.activities[2]!.available = true)), 'workspaces[0].activities[2].available'],
        [broken((d) => (d.workspaces[0]!.task_queues as unknown[]).push({ friendly_name: 'english', target_workers: '1==1' })), 'workspaces[0].task_queues[3]'],
      ];
      for (const [doc, path] of cases) {
        const file = await documentFile(doc);
        const error = await applySetupFile(target, file).then(
          () => null,
          (err: unknown) => err,
        );
        expect(error, path).toBeInstanceOf(SetupError);
        expect((error as SetupError).file).toBe(file);
        expect((error as SetupError).path, path).toBe(path);
        expect((error as SetupError).problem.length).toBeGreaterThan(0);
      }
      // The connector's own checks name the setting in the problem.
      const badNumber = await documentFile(broken((d) => void ((d.workspaces[0]!.phone_numbers[0] as Record<string, unknown>).announce_every_seconds = 1)));
      await expect(applySetupFile(target, badNumber)).rejects.toThrow(/workspaces\[0\]\.phone_numbers\[0\]\.announce_every_seconds/);
      const notYaml = await documentFile('workspaces: [ {friendly_name: x');
      await expect(applySetupFile(target, notYaml)).rejects.toBeInstanceOf(SetupError);
      expect(await state(document)).toEqual(before);
    });
  });
});
