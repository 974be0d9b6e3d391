import { isIP, type LookupFunction } from 'node:net';

/**
 * A resolver that knows only the names it is given, each mapped to loopback addresses of this machine: callback host
 * names in tests resolve where the test says, and a name it does not know fails as DNS would, never reaching a real
 * resolver. `asked` records every name looked up.
 */
export function mappedResolver(names: Record<string, string[]>): LookupFunction & { asked: string[] } {
  const asked: string[] = [];
  const resolve: LookupFunction = (hostname, options, callback) => {
    asked.push(hostname);
    const addresses = (names[hostname.toLowerCase()] ?? []).map((address) => ({ address, family: isIP(address) }));
    if (addresses.length === 0) {
      return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
    }
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
  return Object.assign(resolve, { asked });
}
