import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { CallbackRefused, type CallbackUrlPolicy } from '../core/callback-url.js';

/**
 * A `lookup` for sockets that carry callbacks: resolves the host name with `resolve` (the system resolver by default)
 * and hands the socket only addresses `policy` admits for that name. Given to the connection itself, the check applies
 * to the very address dialled, so a name that resolved to a public address when the URL was accepted and resolves to
 * 127.0.0.1 now is refused, with no window between checking and connecting. When no address is left the connection
 * fails with CallbackRefused naming the first refused one.
 */
export function callbackLookup(policy: CallbackUrlPolicy, resolve: LookupFunction = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    // Every address is asked for, so none the socket might fall back to (Happy Eyeballs) goes unchecked.
    resolve(hostname, { ...options, all: true }, (err, answer) => {
      if (err) return callback(err, '');
      const addresses: LookupAddress[] = typeof answer === 'string' ? [{ address: answer, family: isIP(answer) }] : answer;
      const admitted = addresses.filter(({ address }) => policy.refusalOfAddress(address, hostname) === null);
      if (admitted.length === 0) {
        const first = addresses[0];
        const why = first
          ? `${hostname} resolves to ${first.address}, ${policy.refusalOfAddress(first.address, hostname)}`
          : `${hostname} resolves to no address`;
        return callback(new CallbackRefused(why), '');
      }
      if (options.all) return callback(null, admitted);
      callback(null, admitted[0]!.address, admitted[0]!.family);
    });
  };
}
