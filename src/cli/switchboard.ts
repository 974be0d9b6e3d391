#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TwilioError } from '../core/errors.js';
import { applySetupFile } from '../setup/apply.js';
import { HttpTarget } from '../setup/http-target.js';
import { planText } from '../setup/plan-text.js';
import { SetupError } from '../setup/setup-error.js';

const USAGE = `Usage: switchboard apply <file> [--dry-run] [--prune]

Applies a configuration file (YAML or JSON) to a running Switchboard through its REST API, and prints what changed.
--dry-run prints what would change and changes nothing.
--prune   also deletes what the file does not mention inside its workspaces, the numbers routing to them, and the
          IVR menus nothing else uses.

The server and its credentials come from the environment, or from a .env file in the working directory:
  SWITCHBOARD_URL                         the server (default http://localhost:$PORT, PORT defaulting to 3000)
  TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN   the API's credentials (a development server prints them at start and keeps
                                          them in DATA_DIR/credentials.json)`;

/** Runs the command; resolves to the process's exit code. */
async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { 'dry-run': { type: 'boolean' }, prune: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, file, ...extra] = positionals;
  if (command !== 'apply' || file === undefined || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  // The server reads the same file: the command finds the server the way the operator configured it.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const url = process.env.SWITCHBOARD_URL?.trim() || `http://localhost:${process.env.PORT?.trim() || '3000'}`;
  const accountSid = process.env.TWILIO_ACCOUNT_SID?.trim();
  const authToken = process.env.TWILIO_AUTH_TOKEN?.trim();
  if (!accountSid || !authToken) {
    console.error("Set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to the server's credentials (in the environment or .env).");
    return 2;
  }
  const dryRun = values['dry-run'] === true;
  try {
    const plan = await applySetupFile(new HttpTarget(url, { accountSid, authToken }), file, { dryRun, prune: values.prune === true });
    console.log(planText(plan));
    if (dryRun) console.log('Dry run: nothing was changed.');
    return 0;
  } catch (err) {
    console.error(failure(err, url));
    return 1;
  }
}

function failure(err: unknown, url: string): string {
  if (err instanceof SetupError) return err.message;
  if (err instanceof TwilioError) return `Switchboard at ${url} refused: ${err.message} (${err.status})`;
  if (err instanceof TypeError && err.cause instanceof Error) return `Cannot reach Switchboard at ${url}: ${err.cause.message}`;
  return String(err instanceof Error ? err.stack : err);
}

process.exitCode = await run(process.argv.slice(2));
