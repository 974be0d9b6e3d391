import { Router } from 'express';
import { SettingsReader, snakeCaseKeys } from '../../connector/settings-reader.js';
import { pathParam, type ApiContext } from '../context.js';
import { sendDeleted, sendList, sendRecord } from './respond.js';

/** What a connector resource offers: its records, found by sid or natural key, and their writes. */
export interface ConnectorResource<T extends { version: number }> {
  /** The list's `meta.key`. */
  key: string;
  list(): Promise<T[]>;
  get(id: string): Promise<T>;
  create(settings: SettingsReader): Promise<T>;
  update(id: string, settings: SettingsReader): Promise<T>;
  remove(id: string): Promise<void>;
  serialize(record: T, publicUrl: string, accountSid: string): Record<string, unknown>;
}

/** GET list, POST create, GET/POST/DELETE one: the shape every connector resource is served in. */
export function connectorResourceRouter<T extends { version: number }>(api: ApiContext, resource: ConnectorResource<T>): Router {
  const router = Router();
  const wire = (record: T) => resource.serialize(record, api.publicUrl().replace(/\/+$/, ''), api.engine.accountSid);
  // Form clients may send Twilio-style PascalCase names; JSON clients send the snake_case the API answers with.
  const settings = (body: unknown) => SettingsReader.of(snakeCaseKeys(body ?? {}));

  router.get('/', async (req, res) => {
    sendList(req, res, { publicUrl: api.publicUrl().replace(/\/+$/, '') }, resource.key, await resource.list(), wire);
  });
  router.post('/', async (req, res) => {
    const record = await resource.create(settings(req.body));
    sendRecord(res, 201, wire(record), record);
  });
  router.get('/:id', async (req, res) => {
    const record = await resource.get(pathParam(req, 'id'));
    sendRecord(res, 200, wire(record), record);
  });
  router.post('/:id', async (req, res) => {
    const record = await resource.update(pathParam(req, 'id'), settings(req.body));
    sendRecord(res, 200, wire(record), record);
  });
  router.delete('/:id', async (req, res) => {
    await resource.remove(pathParam(req, 'id'));
    sendDeleted(res);
  });
  return router;
}
