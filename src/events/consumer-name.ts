import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A name for this process as a consumer of the delivery groups, unique across hosts and restarts: host and pid say
 * where it ran (what an operator sees in XINFO CONSUMERS), the random part keeps a reused pid from inheriting
 * another run's pending entries.
 */
export function deliveryConsumerName(): string {
  const host = hostname().replace(/[^\w.-]/g, '_') || 'host';
  return `${host}-${process.pid}-${randomBytes(4).toString('hex')}`;
}
