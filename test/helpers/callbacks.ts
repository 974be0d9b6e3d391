import { CallbackUrlPolicy } from '../../src/core/callback-url.js';

/** The allow-list tests run with: every receiver of a test listens on this machine. */
export const LOOPBACK_NETWORKS = '127.0.0.0/8,::1,localhost';

/** Callbacks may reach loopback receivers (and public addresses, which no test ever calls). */
export const LOOPBACK_CALLBACKS = CallbackUrlPolicy.parse(LOOPBACK_NETWORKS);
