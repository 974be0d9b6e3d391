import { BlockList, isIP } from 'node:net';

/**
 * Where callbacks (EventCallbackUrl, AssignmentCallbackUrl, FallbackAssignmentCallbackUrl) may go. The server POSTs
 * signed task data to these URLs and acts on the answer, so a URL naming an internal address would let any API caller
 * reach what only the server can reach: cloud metadata, admin ports, the private network.
 *
 * Addresses fall into kinds. Public addresses are always allowed. Link-local, unspecified, multicast and reserved
 * addresses are never allowed: nothing legitimate listens for webhooks there (169.254.169.254 is cloud metadata).
 * Loopback and private addresses are refused unless the deployment's allow-list names them (tests and development
 * need loopback; an on-premises receiver may live on the private network).
 *
 * These checks are pure: a host name is judged by its name alone here, and by the addresses it resolves to when the
 * connection is made (see `src/net/callback-lookup.ts`), since DNS can answer differently later.
 */
export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

/** IPv4 ranges and their kind, per IANA's special-purpose registry. */
const IPV4_RANGES: Array<[AddressKind, string, number]> = [
  ['loopback', '127.0.0.0', 8],
  ['unspecified', '0.0.0.0', 8],
  ['link-local', '169.254.0.0', 16],
  ['multicast', '224.0.0.0', 4],
  ['private', '10.0.0.0', 8],
  ['private', '172.16.0.0', 12],
  ['private', '192.168.0.0', 16],
  ['private', '100.64.0.0', 10], // carrier-grade NAT
  ['reserved', '240.0.0.0', 4], // future use, and 255.255.255.255 broadcast
  ['reserved', '192.0.0.0', 24], // IETF protocol assignments
  ['reserved', '192.0.2.0', 24], // documentation
  ['reserved', '198.51.100.0', 24], // documentation
  ['reserved', '203.0.113.0', 24], // documentation
  ['reserved', '198.18.0.0', 15], // benchmarking
];

/** The well-known NAT64 prefix: a DNS64 resolver hands out 64:ff9b::a.b.c.d for an IPv4-only host a.b.c.d. */
const NAT64_PREFIX = '64:ff9b::';

/** IPv6 ranges and their kind. Checked after the IPv4 ranges, which also match IPv4-mapped (::ffff:a.b.c.d) forms. */
const IPV6_RANGES: Array<[AddressKind, string, number]> = [
  ['loopback', '::1', 128],
  ['unspecified', '::', 128],
  ['link-local', 'fe80::', 10],
  ['multicast', 'ff00::', 8],
  ['private', 'fc00::', 7], // unique local
  ['reserved', '::', 96], // IPv4-compatible, deprecated
  ['reserved', 'fec0::', 10], // site-local, deprecated
  ['reserved', '100::', 64], // discard-only
  ['reserved', '2001:db8::', 32], // documentation
  ['reserved', '2001::', 32], // Teredo: tunnels to an IPv4 address hidden in the bits
  ['reserved', '2002::', 16], // 6to4: likewise
  ['reserved', '64:ff9b:1::', 48], // local-use IPv4/IPv6 translation
];

/** Kinds an allow-list may admit; every other kind but `public` is refused whatever the configuration says. */
const ALLOWABLE: ReadonlySet<AddressKind> = new Set(['loopback', 'private']);

/** One BlockList per kind, in the order they are tried: the first that holds an address names its kind. */
const KINDS: Array<[AddressKind, BlockList]> = (() => {
  const lists = new Map<AddressKind, BlockList>();
  const listOf = (kind: AddressKind) => lists.get(kind) ?? lists.set(kind, new BlockList()).get(kind)!;
  for (const [kind, network, prefix] of IPV4_RANGES) {
    listOf(kind).addSubnet(network, prefix, 'ipv4');
    // The same range behind NAT64 is the same destination.
    listOf(kind).addSubnet(NAT64_PREFIX + network, 96 + prefix, 'ipv6');
  }
  for (const [kind, network, prefix] of IPV6_RANGES) listOf(kind).addSubnet(network, prefix, 'ipv6');
  return [...lists];
})();

/** The kind of an IP address (any spelling `net.isIP` accepts, brackets excluded). */
export function addressKind(address: string): AddressKind {
  const family = isIP(address);
  if (family === 0) throw new TypeError(`not an IP address: ${address}`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [kind, list] of KINDS) if (list.check(address, type)) return kind;
  return 'public';
}

/** `localhost` and its subdomains always mean this machine (RFC 6761), whatever DNS would say. */
function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** A host name as compared: lower case, without the trailing dot of a fully qualified name. */
function normalHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

/** The address in a URL host, brackets removed from IPv6; null for a name. */
function hostAddress(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? null : bare;
}

/** Control characters, and whitespace of any script: URL parsing would silently drop or keep them. */
const CONTROL_OR_SPACE = /[\u0000-\u001f\u007f-\u009f\s]/u;

/** A bad allow-list entry. */
export class CallbackAllowListError extends Error {
  constructor(
    readonly entry: string,
    reason: string,
  ) {
    super(`${JSON.stringify(entry)} ${reason}`);
    this.name = 'CallbackAllowListError';
  }
}

/**
 * The callback policy of a deployment: the fixed rules above plus its allow-list of networks (CIDRs or single
 * addresses) and host names whose loopback or private addresses callbacks may reach.
 */
export class CallbackUrlPolicy {
  /** No allow-list: public addresses only, the safe choice for a server on the internet. */
  static readonly publicOnly = new CallbackUrlPolicy(new BlockList(), new Set(), []);

  private constructor(
    private readonly networks: BlockList,
    private readonly hosts: ReadonlySet<string>,
    /** The entries as given, for messages. */
    readonly entries: readonly string[],
  ) {}

  /**
   * A policy admitting the loopback and private addresses that `entries` name: `127.0.0.0/8`, `::1`, `10.1.0.0/16`,
   * `localhost`, `hooks.internal`. A host name entry admits whatever loopback or private address that name resolves
   * to; a network entry admits its addresses under any name. Throws CallbackAllowListError for an entry that is not a
   * CIDR, an address or a host name, or that names addresses which are never allowed.
   */
  static allowing(entries: readonly string[]): CallbackUrlPolicy {
    const networks = new BlockList();
    const hosts = new Set<string>();
    const kept: string[] = [];
    for (const raw of entries) {
      const entry = raw.trim();
      if (entry === '') continue;
      kept.push(entry);
      const network = parseNetwork(entry);
      if (network) {
        const kind = addressKind(network.address);
        if (!ALLOWABLE.has(kind) && kind !== 'public') {
          throw new CallbackAllowListError(entry, `covers ${kind} addresses, which callbacks may never reach`);
        }
        networks.addSubnet(network.address, network.prefix, network.family === 4 ? 'ipv4' : 'ipv6');
      } else {
        hosts.add(parseHostName(entry));
      }
    }
    return new CallbackUrlPolicy(networks, hosts, kept);
  }

  /** A policy from a comma-separated list (the CALLBACK_ALLOWED_NETWORKS format); empty admits public addresses only. */
  static parse(list: string): CallbackUrlPolicy {
    return CallbackUrlPolicy.allowing(list.split(','));
  }

  /**
   * Why `raw` may not be a callback URL, as the end of a sentence naming the parameter ("must not carry
   * credentials"), or null when it may. Host names other than `localhost` pass here: their addresses are checked
   * when the callback is sent.
   */
  refusalOfUrl(raw: string): string | null {
    if (CONTROL_OR_SPACE.test(raw)) return 'must not contain control characters or whitespace';
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'must be an absolute http(s) URL';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an absolute http(s) URL';
    if (url.username !== '' || url.password !== '') return 'must not carry credentials (user:password@)';
    const address = hostAddress(url.hostname);
    if (address !== null) {
      const refusal = this.refusalOfAddress(address);
      return refusal && `points at ${address}, ${refusal}`;
    }
    const host = normalHost(url.hostname);
    if (isLoopbackName(host) && !this.hosts.has(host) && !this.networks.check('127.0.0.1', 'ipv4') && !this.networks.check('::1', 'ipv6')) {
      return `points at ${host}, a loopback host not in the callback allow-list`;
    }
    return null;
  }

  /**
   * Why a callback may not connect to `address`, reached under the host name `host` (absent for an address written
   * in the URL), or null when it may.
   */
  refusalOfAddress(address: string, host?: string): string | null {
    const kind = addressKind(address);
    if (kind === 'public') return null;
    if (!ALLOWABLE.has(kind)) return `${article(kind)} ${kind} address, which callbacks may never reach`;
    if (this.networks.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6')) return null;
    if (host !== undefined && this.hosts.has(normalHost(host))) return null;
    return `a ${kind} address not in the callback allow-list`;
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

/** `a.b.c.d/n`, `x::/n` or a single address; null when the entry is neither (then it must be a host name). */
function parseNetwork(entry: string): { address: string; prefix: number; family: 4 | 6 } | null {
  const slash = entry.indexOf('/');
  const addressPart = slash < 0 ? entry : entry.slice(0, slash);
  const bare = addressPart.startsWith('[') && addressPart.endsWith(']') ? addressPart.slice(1, -1) : addressPart;
  const family = isIP(bare) as 0 | 4 | 6;
  if (family === 0) {
    if (slash >= 0) throw new CallbackAllowListError(entry, 'is not a CIDR (address/prefix)');
    return null;
  }
  const max = family === 4 ? 32 : 128;
  if (slash < 0) return { address: bare, prefix: max, family };
  const prefixPart = entry.slice(slash + 1);
  const prefix = Number(prefixPart);
  if (!/^\d{1,3}$/.test(prefixPart) || prefix > max) throw new CallbackAllowListError(entry, `has a prefix length that is not 0–${max}`);
  return { address: bare, prefix, family };
}

/** A host name entry, normalised as URL parsing would; IP addresses in unusual spellings are refused as ambiguous. */
function parseHostName(entry: string): string {
  let hostname: string;
  try {
    // A port, path or credentials would make this more than a host; URL parsing would quietly drop some of them.
    if (/[:/@?#\\]/.test(entry)) throw new Error('more than a host');
    hostname = new URL(`http://${entry}/`).hostname;
  } catch {
    throw new CallbackAllowListError(entry, 'is not a CIDR, an IP address or a host name');
  }
  if (hostAddress(hostname) !== null) throw new CallbackAllowListError(entry, `is an IP address: write it as ${hostname}`);
  const host = normalHost(hostname);
  // International names arrive here in their ASCII (xn--) form; anything else is no name DNS could answer for.
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(host)) throw new CallbackAllowListError(entry, 'is not a CIDR, an IP address or a host name');
  return host;
}

/** A callback not sent because the policy refuses where it would go: a failed attempt that no retry can mend. */
export class CallbackRefused extends Error {
  /** Read by Node's socket code and by our failure reports. */
  readonly code = 'ECALLBACKREFUSED';

  constructor(message: string) {
    super(message);
    this.name = 'CallbackRefused';
  }
}
