import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress, OutboundGuard, OutboundTargetForbidden, type ResolvedAddress } from '../../../src/core/net/outbound-guard';

/** A resolver from a table: no real DNS in a unit test. */
const table = (entries: Record<string, string[]>) => async (hostname: string): Promise<ResolvedAddress[]> =>
  (entries[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

const refusal = async (promise: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof OutboundTargetForbidden) return error.reason;
    throw error;
  }
  return undefined;
};

describe('outbound guard', () => {
  it('allows public unicast addresses only', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.100.100.200', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fd00:ec2::254', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a00:1', 'ff02::1']) {
      expect({ address, public: isPublicAddress(address) }).toEqual({ address, public: false });
    }
    for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700::6810:84e5', '::ffff:8.8.8.8']) {
      expect({ address, public: isPublicAddress(address) }).toEqual({ address, public: true });
    }
  });

  it('refuses internal targets it can judge without DNS, in every spelling the URL parser accepts', async () => {
    const guard = new OutboundGuard({ resolve: table({}) });
    for (const url of ['http://127.0.0.1:9/x', 'http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/', 'http://10.0.0.5/', 'http://localhost:3000/', 'http://api.localhost/', 'http://LOCALHOST./']) {
      expect({ url, refused: (await refusal(() => guard.checkUrl(url))) !== undefined }).toEqual({ url, refused: true });
    }
    expect(await refusal(() => guard.checkUrl('file:///etc/passwd'))).toMatch(/http/);
    expect(await refusal(() => guard.checkUrl('https://hooks.example.test/attest'))).toBeUndefined();
    expect(await refusal(() => guard.checkUrl('http://8.8.8.8/'))).toBeUndefined();
  });

  it('refuses a name with any internal address, and allows what the operator lists (names, addresses, ranges)', async () => {
    const resolve = table({ 'mixed.test': ['93.184.216.34', '10.1.2.3'], 'rebind.test': ['169.254.169.254'], 'public.test': ['93.184.216.34'], 'intranet.corp': ['10.20.30.40'], 'v6.test': ['fd12::1'] });
    const strict = new OutboundGuard({ resolve });
    expect(await refusal(strict.resolveTarget('https://mixed.test/x'))).toMatch(/10\.1\.2\.3 is a private address/);
    expect(await refusal(strict.resolveTarget('https://rebind.test/x'))).toMatch(/linkLocal/);
    expect(await refusal(strict.resolveTarget('https://v6.test/x'))).toMatch(/uniqueLocal/);
    expect(await strict.resolveTarget('https://public.test/x')).toEqual([{ address: '93.184.216.34', family: 4 }]);

    const byName = new OutboundGuard({ resolve, allowHosts: ['Intranet.corp'] });
    expect(await byName.resolveTarget('http://intranet.corp/hook')).toEqual([{ address: '10.20.30.40', family: 4 }]);
    expect(await refusal(byName.resolveTarget('http://mixed.test/hook'))).toBeDefined();
    const byRange = new OutboundGuard({ resolve, allowHosts: ['10.0.0.0/8', '127.0.0.1', '[::1]'] });
    expect(await refusal(byRange.resolveTarget('http://mixed.test/hook'))).toBeUndefined();
    expect(await refusal(byRange.resolveTarget('http://127.0.0.1:9/hook'))).toBeUndefined();
    expect(await refusal(byRange.resolveTarget('http://[::1]:9/hook'))).toBeUndefined();
    expect(await refusal(byRange.resolveTarget('http://127.0.0.2:9/hook'))).toMatch(/loopback/);
    expect(await refusal(byRange.resolveTarget('http://rebind.test/hook'))).toMatch(/linkLocal/);
  });

  describe('requests', () => {
    let server: Server;
    let port: number;
    const hits: string[] = [];
    beforeAll(async () => {
      server = createServer((request, response) => {
        hits.push(request.url ?? '');
        if (request.url === '/redirect') response.writeHead(302, { location: `http://127.0.0.1:${port}/internal` }).end();
        else response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

    it('connects to the address it checked, not to a second resolution', async () => {
      // receiver.test exists in no DNS: the connection can only have used the checked address.
      const guard = new OutboundGuard({ resolve: table({ 'receiver.test': ['127.0.0.1'] }), allowHosts: ['127.0.0.0/8'] });
      const response = await guard.request(`http://receiver.test:${port}/hello`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe('ok');
      expect(hits).toContain('/hello');
    });

    it('refuses before connecting, and never follows a redirect', async () => {
      hits.length = 0;
      const strict = new OutboundGuard({ resolve: table({ 'receiver.test': ['127.0.0.1'] }) });
      expect(await refusal(strict.request(`http://receiver.test:${port}/nope`))).toMatch(/loopback/);
      expect(await refusal(strict.request(`http://127.0.0.1:${port}/nope`))).toMatch(/loopback/);
      expect(hits).toEqual([]);
      const allowed = new OutboundGuard({ allowHosts: ['127.0.0.1'] });
      const redirected = await allowed.request(`http://127.0.0.1:${port}/redirect`);
      expect(redirected.status).toBe(302);
      expect(hits).toEqual(['/redirect']);
    });
  });
});
