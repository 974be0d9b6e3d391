import { describe, expect, it } from 'vitest';
import { addressKind, CallbackAllowListError, CallbackUrlPolicy } from '../../src/core/callback-url.js';

const publicOnly = CallbackUrlPolicy.publicOnly;

describe('callback URL policy', () => {
  it.each([
    ['http://0x7f000001/hook', '127.0.0.1'],
    ['http://2130706433/hook', '127.0.0.1'],
    ['http://0177.0.0.1/hook', '127.0.0.1'],
    ['http://127.1/hook', '127.0.0.1'],
    ['http://127.0.0.1.:8080/hook', '127.0.0.1'],
    ['http://[::1]/hook', '::1'],
    ['http://[0:0:0:0:0:0:0:1]/hook', '::1'],
    ['http://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1'],
    ['http://[64:ff9b::127.0.0.1]/hook', '64:ff9b::7f00:1'],
  ])('reads %s as the loopback address %s and refuses it without an allow-list', (url, address) => {
    expect(publicOnly.refusalOfUrl(url)).toBe(`points at ${address}, a loopback address not in the callback allow-list`);
  });

  it.each([
    ['http://10.0.0.1/', '10.0.0.1'],
    ['http://172.20.1.1/', '172.20.1.1'],
    ['http://192.168.1.1/', '192.168.1.1'],
    ['http://100.64.0.1/', '100.64.0.1'],
    ['http://[fd12::1]/', 'fd12::1'],
    ['http://[::ffff:10.0.0.1]/', '::ffff:a00:1'],
  ])('refuses the private address in %s without an allow-list', (url, address) => {
    expect(publicOnly.refusalOfUrl(url)).toBe(`points at ${address}, a private address not in the callback allow-list`);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254', 'a link-local'],
    ['http://[fe80::1]/', 'fe80::1', 'a link-local'],
    ['http://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe', 'a link-local'],
    ['http://0.0.0.0:8080/', '0.0.0.0', 'an unspecified'],
    ['http://0/', '0.0.0.0', 'an unspecified'],
    ['http://[::]/', '::', 'an unspecified'],
    ['http://224.0.0.1/', '224.0.0.1', 'a multicast'],
    ['http://[ff02::1]/', 'ff02::1', 'a multicast'],
    ['http://255.255.255.255/', '255.255.255.255', 'a reserved'],
    ['http://192.0.2.10/', '192.0.2.10', 'a reserved'],
    ['http://[::127.0.0.1]/', '::7f00:1', 'a reserved'],
  ])('refuses %s whatever the allow-list says', (url, address, kind) => {
    const everything = CallbackUrlPolicy.parse('127.0.0.0/8,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7,100.64.0.0/10');
    for (const policy of [publicOnly, everything]) {
      expect(policy.refusalOfUrl(url)).toBe(`points at ${address}, ${kind} address, which callbacks may never reach`);
    }
  });

  it('refuses localhost and its subdomains by name, in any case and fully qualified', () => {
    for (const url of ['http://localhost:3000/hook', 'http://LOCALHOST./hook', 'http://api.localhost/hook']) {
      expect(publicOnly.refusalOfUrl(url)).toMatch(/^points at (api\.)?localhost, a loopback host not in the callback allow-list$/);
    }
  });

  it('refuses other schemes, credentials, control characters and whitespace anywhere in the string', () => {
    expect(publicOnly.refusalOfUrl('ftp://example.com/hook')).toBe('must be an absolute http(s) URL');
    expect(publicOnly.refusalOfUrl('/relative/hook')).toBe('must be an absolute http(s) URL');
    expect(publicOnly.refusalOfUrl('http://user:secret@example.com/hook')).toBe('must not carry credentials (user:password@)');
    expect(publicOnly.refusalOfUrl('http://user@example.com/hook')).toBe('must not carry credentials (user:password@)');
    for (const url of [
      'https://example.com/hook\r\nX-Injected: 1',
      ' https://example.com/hook',
      'https://example.com/\thook',
      'https://example.com/\u0000',
      'https://exa\u00a0mple.com/',
      'https://example.com/\u2028',
    ]) {
      expect(publicOnly.refusalOfUrl(url), JSON.stringify(url)).toBe('must not contain control characters or whitespace');
    }
  });

  it('accepts public addresses and host names, which are checked again when connecting', () => {
    for (const url of [
      'https://example.com/hook?x=1#ct=1000',
      'http://8.8.8.8/hook',
      'http://[2606:4700::1111]/',
      'http://[::ffff:8.8.8.8]/',
      'http://hooks.internal/',
    ]) {
      expect(publicOnly.refusalOfUrl(url), url).toBeNull();
    }
  });

  it('admits the loopback and private addresses and names its allow-list gives, and no others', () => {
    const policy = CallbackUrlPolicy.parse(' 127.0.0.0/8 , ::1, 10.1.0.0/16 ,Hooks.Internal,');
    expect(policy.entries).toEqual(['127.0.0.0/8', '::1', '10.1.0.0/16', 'Hooks.Internal']);
    for (const url of ['http://127.0.0.1:4000/hook', 'http://0x7f000001/', 'http://[::1]/', 'http://10.1.200.3/', 'http://localhost/']) {
      expect(policy.refusalOfUrl(url), url).toBeNull();
    }
    expect(policy.refusalOfUrl('http://10.2.0.1/')).toBe('points at 10.2.0.1, a private address not in the callback allow-list');
    expect(policy.refusalOfUrl('http://[::ffff:10.2.0.1]/')).toMatch(/not in the callback allow-list$/);
    expect(policy.refusalOfAddress('192.168.7.7', 'hooks.internal.')).toBeNull();
    expect(policy.refusalOfAddress('192.168.7.7', 'other.internal')).toBe('a private address not in the callback allow-list');
    expect(policy.refusalOfAddress('169.254.169.254', 'hooks.internal')).toBe('a link-local address, which callbacks may never reach');

    const byName = CallbackUrlPolicy.parse('localhost');
    expect(byName.refusalOfUrl('http://localhost:3000/')).toBeNull();
    expect(byName.refusalOfUrl('http://127.0.0.1:3000/')).toMatch(/not in the callback allow-list$/);
  });

  it('refuses allow-list entries that are not networks, addresses or host names, or that cover addresses never allowed', () => {
    const refused = (entry: string) => {
      try {
        CallbackUrlPolicy.parse(entry);
      } catch (err) {
        expect(err).toBeInstanceOf(CallbackAllowListError);
        return (err as Error).message;
      }
      throw new Error(`${entry} was accepted`);
    };
    expect(refused('10.0.0.0/33')).toBe('"10.0.0.0/33" has a prefix length that is not 0–32');
    expect(refused('10.0.0.0/8x')).toBe('"10.0.0.0/8x" has a prefix length that is not 0–32');
    expect(refused('intranet/8')).toBe('"intranet/8" is not a CIDR (address/prefix)');
    expect(refused('169.254.0.0/16')).toBe('"169.254.0.0/16" covers link-local addresses, which callbacks may never reach');
    expect(refused('0.0.0.0/0')).toBe('"0.0.0.0/0" covers unspecified addresses, which callbacks may never reach');
    expect(refused('::/0')).toBe('"::/0" covers unspecified addresses, which callbacks may never reach');
    expect(refused('127.1')).toBe('"127.1" is an IP address: write it as 127.0.0.1');
    expect(refused('hooks.internal:8080')).toBe('"hooks.internal:8080" is not a CIDR, an IP address or a host name');
    expect(refused('http://hooks.internal')).toBe('"http://hooks.internal" is not a CIDR (address/prefix)');
    expect(refused('*.internal')).toBe('"*.internal" is not a CIDR, an IP address or a host name');
  });

  it('classifies addresses by kind', () => {
    expect(addressKind('8.8.8.8')).toBe('public');
    expect(addressKind('127.255.0.1')).toBe('loopback');
    expect(addressKind('172.31.255.255')).toBe('private');
    expect(addressKind('172.32.0.1')).toBe('public');
    expect(addressKind('::ffff:169.254.1.1')).toBe('link-local');
    expect(addressKind('2001:db8::1')).toBe('reserved');
    expect(() => addressKind('example.com')).toThrow(TypeError);
  });
});
