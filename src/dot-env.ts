import { existsSync } from 'node:fs';

/** Settings from a `.env` file in the working directory, when there is one; the environment's own values win. */
export function loadDotEnv(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
}
