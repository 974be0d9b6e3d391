import type { Router } from 'express';
import type { ConnectorDirectory } from '../../connector/connector-directory.js';
import type { ApiContext } from '../context.js';
import { connectorResourceRouter } from './connector-resource.js';
import { serializeIvrMenu } from './connector-wire.js';

/** `/v1/Connector/IvrMenus[/{IM or unique name}]`: the voice connector's IVR menus. */
export function connectorIvrMenusRouter(api: ApiContext, directory: ConnectorDirectory): Router {
  return connectorResourceRouter(api, {
    key: 'ivr_menus',
    list: () => directory.listIvrMenus(),
    get: (id) => directory.ivrMenu(id),
    create: (settings) => directory.createIvrMenu(settings),
    update: (id, settings) => directory.updateIvrMenu(id, settings),
    remove: (id) => directory.deleteIvrMenu(id),
    serialize: serializeIvrMenu,
  });
}
