import type { ConnectorDirectory } from '../connector/connector-directory.js';
import type { CallbackUrlPolicy } from '../core/callback-url.js';
import type { RoutingEngine } from '../engine/engine.js';
import { applySetupFile } from './apply.js';
import { EngineTarget } from './engine-target.js';
import { planText } from './plan-text.js';
import { withSetupLock, type SetupLockOptions } from './setup-lock.js';

export interface StartupSetup {
  engine: RoutingEngine;
  directory: ConnectorDirectory;
  callbackUrls: CallbackUrlPolicy;
  /** With Redis, the instances sharing it apply one at a time. */
  redis: SetupLockOptions | null;
}

/** Applies the configuration file (SWITCHBOARD_CONFIG) to this process's server before it serves; returns what it did. */
export async function applyAtStartup(file: string, setup: StartupSetup): Promise<string> {
  const target = new EngineTarget(setup.engine, setup.directory, setup.callbackUrls);
  const apply = () => applySetupFile(target, file);
  const plan = setup.redis ? await withSetupLock(setup.redis, apply) : await apply();
  return planText(plan);
}
