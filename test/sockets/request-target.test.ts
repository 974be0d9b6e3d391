import { describe, expect, it } from 'vitest';
import { isRoutableTarget, readRequestTarget } from '../../src/sockets/request-target.js';
import { signedUrl } from '../../src/connector/twilio/signature.js';

describe('request targets', () => {
  it('reads origin and absolute form, keeping the path and query exactly as sent', () => {
    expect(readRequestTarget("/webhooks/voice/hold?ws=WS1&name=O'Brien")).toMatchObject({
      path: '/webhooks/voice/hold',
      pathAndQuery: "/webhooks/voice/hold?ws=WS1&name=O'Brien",
    });
    expect(readRequestTarget('/v1/Connector/Listen?TaskSid=WT1')?.query.get('TaskSid')).toBe('WT1');
    expect(readRequestTarget('http://127.0.0.1:3000/webhooks/media?a=1')).toMatchObject({ path: '/webhooks/media', pathAndQuery: '/webhooks/media?a=1' });
    expect(readRequestTarget('WSS://127.0.0.1')).toMatchObject({ path: '/', pathAndQuery: '/' });
    expect(readRequestTarget('http://127.0.0.1?x=1')).toMatchObject({ path: '/', pathAndQuery: '/?x=1' });
    // Two slashes begin a path here, never an authority.
    expect(readRequestTarget('//127.0.0.1/x')).toMatchObject({ path: '//127.0.0.1/x', pathAndQuery: '//127.0.0.1/x' });
  });

  it('refuses what is no valid path or URL instead of throwing', () => {
    for (const target of [
      undefined,
      '',
      '*',
      'x:y',
      'http://',
      'http://x:99999/',
      'http://[zz]/a',
      'ftp://127.0.0.1/a',
      'javascript:alert(1)',
      'webhooks/voice',
    ]) {
      expect(readRequestTarget(target)).toBeNull();
    }
  });

  it('tells whether a target reads without reading it, as reading it would', () => {
    const targets = [undefined, '', '*', 'x:y', 'http://', 'http://x:99999/', 'http://[zz]/a', 'ftp://127.0.0.1/a', 'webhooks/voice'];
    targets.push(
      '/',
      '/v1/Workspaces?PageSize=5',
      '//127.0.0.1/x',
      '/%',
      '/\\x',
      "/a b/'c'",
      '/\u00e9t\u00e9?q=\ud83d\ude00',
      'http://127.0.0.1:3000/webhooks/media?a=1',
    );
    for (const target of targets) expect(isRoutableTarget(target)).toBe(readRequestTarget(target) !== null);
  });

  it('builds the signed URL from the public URL and the path and query alone', () => {
    expect(signedUrl('https://sb.example', 'http://127.0.0.1:3000/webhooks/voice?x=1')).toBe('https://sb.example/webhooks/voice?x=1');
    expect(signedUrl('https://sb.example/switchboard', 'http://127.0.0.1:3000/webhooks/voice')).toBe('https://sb.example/switchboard/webhooks/voice');
    expect(signedUrl('wss://sb.example', '/webhooks/media')).toBe('wss://sb.example/webhooks/media');
    expect(signedUrl('https://sb.example', 'http://x:99999/webhooks/voice')).toBeNull();
  });
});
