import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { CallbackRefused, CallbackUrlPolicy } from '../../src/core/callback-url.js';
import { callbackLookup } from '../../src/net/callback-lookup.js';
import { mappedResolver } from '../helpers/mapped-resolver.js';

/** Runs a lookup as a socket would and returns what it handed back. */
function look(lookup: ReturnType<typeof callbackLookup>, host: string, all: boolean) {
  return new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }>((resolve) =>
    lookup(host, { all }, (error, address, family) => resolve({ error, address, family })),
  );
}

describe('callbackLookup', () => {
  const resolver = mappedResolver({
    'mixed.example.test': ['10.0.0.7', '127.0.0.1'],
    'loopback.example.test': ['127.0.0.1', '::1'],
    'metadata.example.test': ['169.254.169.254'],
    'trusted.example.test': ['10.0.0.7'],
  });

  it('refuses a name every address of which the policy refuses, naming the address and why', async () => {
    const lookup = callbackLookup(CallbackUrlPolicy.publicOnly, resolver);
    for (const all of [true, false]) {
      const { error } = await look(lookup, 'loopback.example.test', all);
      expect(error).toBeInstanceOf(CallbackRefused);
      expect(error!.code).toBe('ECALLBACKREFUSED');
      expect(error!.message).toBe('loopback.example.test resolves to 127.0.0.1, a loopback address not in the callback allow-list');
    }
  });

  it('hands the socket only the addresses the allow-list admits, in either answer form', async () => {
    const lookup = callbackLookup(CallbackUrlPolicy.parse('127.0.0.0/8'), resolver);
    expect(await look(lookup, 'mixed.example.test', true)).toEqual({ error: null, address: [{ address: '127.0.0.1', family: 4 }], family: undefined });
    expect(await look(lookup, 'mixed.example.test', false)).toEqual({ error: null, address: '127.0.0.1', family: 4 });
    expect(await look(lookup, 'loopback.example.test', true)).toMatchObject({ address: [{ address: '127.0.0.1' }] });
  });

  it('admits the private addresses of a host name the allow-list names, and never a link-local one', async () => {
    const lookup = callbackLookup(CallbackUrlPolicy.parse('trusted.example.test,metadata.example.test'), resolver);
    expect(await look(lookup, 'Trusted.Example.test', false)).toEqual({ error: null, address: '10.0.0.7', family: 4 });
    const { error } = await look(lookup, 'metadata.example.test', true);
    expect(error!.message).toBe('metadata.example.test resolves to 169.254.169.254, a link-local address, which callbacks may never reach');
  });

  it('passes resolver failures through unchanged', async () => {
    const { error } = await look(callbackLookup(CallbackUrlPolicy.publicOnly, resolver), 'unknown.example.test', true);
    expect(error).not.toBeInstanceOf(CallbackRefused);
    expect(error!.code).toBe('ENOTFOUND');
  });
});
