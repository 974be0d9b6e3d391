import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The API's credentials pair. */
export interface CredentialPair {
  accountSid: string;
  authToken: string;
}

const FILE = 'credentials.json';

/**
 * Development credentials kept beside the embedded store's data: the pair generated at the first start is written to
 * the data directory (readable by its owner only) and used again at every later start, so the printed pair, and
 * every client configured with it, stays valid as long as the data does.
 */
export function keptCredentials(dataDir: string, generated: CredentialPair): CredentialPair {
  const file = join(dataDir, FILE);
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Partial<CredentialPair>;
    if (typeof kept.accountSid === 'string' && typeof kept.authToken === 'string') return { accountSid: kept.accountSid, authToken: kept.authToken };
  }
  writeFileSync(file, JSON.stringify(generated, null, 2) + '\n', { mode: 0o600 });
  return generated;
}
