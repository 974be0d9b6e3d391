import type { Router } from 'express';
import type { ConnectorDirectory } from '../../connector/connector-directory.js';
import type { ApiContext } from '../context.js';
import { connectorResourceRouter } from './connector-resource.js';
import { serializePhoneNumber } from './connector-wire.js';

/** `/v1/Connector/PhoneNumbers[/{PN or E.164}]`: the numbers the voice connector answers. */
export function connectorPhoneNumbersRouter(api: ApiContext, directory: ConnectorDirectory): Router {
  return connectorResourceRouter(api, {
    key: 'phone_numbers',
    list: () => directory.listPhoneNumbers(),
    get: (id) => directory.phoneNumber(id),
    create: (settings) => directory.createPhoneNumber(settings),
    update: (id, settings) => directory.updatePhoneNumber(id, settings),
    remove: (id) => directory.deletePhoneNumber(id),
    serialize: serializePhoneNumber,
  });
}
