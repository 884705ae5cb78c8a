import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The one rule for requests this server makes on a user's behalf (canary webhooks set through the API, the
 * help-center crawler): they reach the public internet only. Loopback, private, link-local (cloud metadata at
 * 169.254.169.254), carrier-grade NAT, unique-local IPv6, multicast, reserved and every other special-purpose
 * range (as ipaddr.js classifies them) are refused, unless the operator lists the host in OUTBOUND_ALLOW_HOSTS.
 *
 * Checked twice: when a target is stored (checkUrl: what is known without DNS) and when it is called (request:
 * the name is resolved, every address checked, and the connection made to a checked address, so a name that
 * resolves differently between the check and the connect cannot slip through). Redirects are never followed.
 */

export class OutboundTargetForbidden extends Error {
  constructor(
    readonly host: string,
    readonly reason: string,
  ) {
    super(`outbound requests to ${host} are not allowed: ${reason}`);
    this.name = 'OutboundTargetForbidden';
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface OutboundGuardOptions {
  /** Host names (exact, case-insensitive), IP addresses or CIDR ranges that may be reached although internal. */
  allowHosts?: readonly string[];
  /** Every address allowed (the operator's own targets, e.g. ALERT_WEBHOOK_URL); the scheme and no-redirect rules still hold. */
  allowInternal?: boolean;
  /** Name resolution (tests); dns.lookup with all addresses by default. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
}

export interface OutboundRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  /** Response bytes kept (the rest is read and dropped); 1 MiB by default. */
  maxResponseBytes?: number;
}

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** ipaddr.js's range name of an address ('unicast' for a public one); IPv4-mapped IPv6 is judged as its IPv4. */
export function addressRange(address: string): string {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range();
}

/** An address a request may go to by default: public unicast only. */
export function isPublicAddress(address: string): boolean {
  return ipaddr.isValid(address) && addressRange(address) === 'unicast';
}

/** The URL's host as an IP address when it is one (brackets of an IPv6 literal removed). */
function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare)) ? bare : undefined;
}

/** Names that mean this machine whatever DNS says (RFC 6761). */
function isLocalName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/u, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

async function systemResolve(hostname: string): Promise<ResolvedAddress[]> {
  const records = await dnsLookup(hostname, { all: true, verbatim: true });
  return records.map((record) => ({ address: record.address, family: record.family === 6 ? 6 : 4 }));
}

export class OutboundGuard {
  private readonly names = new Set<string>();
  private readonly ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  private readonly resolver: (hostname: string) => Promise<ResolvedAddress[]>;

  constructor(private readonly options: OutboundGuardOptions = {}) {
    for (const entry of options.allowHosts ?? []) {
      const value = entry.trim().toLowerCase();
      if (!value) continue;
      if (value.includes('/') && ipaddr.isValidCIDR(value)) this.ranges.push(ipaddr.parseCIDR(value));
      else if (ipaddr.isValid(value.replace(/^\[|\]$/gu, ''))) {
        const address = ipaddr.parse(value.replace(/^\[|\]$/gu, ''));
        this.ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      } else this.names.add(value.replace(/\.$/u, ''));
    }
    this.resolver = options.resolve ?? systemResolve;
  }

  private allowedName(hostname: string): boolean {
    return this.options.allowInternal === true || this.names.has(hostname.toLowerCase().replace(/\.$/u, ''));
  }

  private allowedAddress(address: string): boolean {
    if (this.options.allowInternal || isPublicAddress(address)) return true;
    let parsed = ipaddr.parse(address);
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    return this.ranges.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits));
  }

  private refuseAddress(host: string, address: string): never {
    throw new OutboundTargetForbidden(host, `${address} is a ${addressRange(address)} address`);
  }

  /**
   * What can be judged without DNS: an http(s) URL whose host is not an internal IP literal nor a name for this
   * machine. Throws OutboundTargetForbidden; returns the parsed URL.
   */
  checkUrl(target: string | URL): URL {
    let url: URL;
    try {
      url = typeof target === 'string' ? new URL(target) : target;
    } catch {
      throw new OutboundTargetForbidden('invalid-url', 'not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundTargetForbidden(url.protocol, 'only http and https are allowed');
    const literal = ipLiteral(url.hostname);
    if (literal !== undefined) {
      if (!this.allowedName(literal) && !this.allowedAddress(literal)) this.refuseAddress(url.hostname, literal);
    } else if (isLocalName(url.hostname) && !this.allowedName(url.hostname)) {
      throw new OutboundTargetForbidden(url.hostname, 'the name means this machine');
    }
    return url;
  }

  /** Resolves the URL's host and checks every address it has; returns them (the ones a connection may use). */
  async resolveTarget(target: string | URL): Promise<ResolvedAddress[]> {
    const url = this.checkUrl(target);
    const literal = ipLiteral(url.hostname);
    if (literal !== undefined) return [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
    const addresses = await this.resolver(url.hostname);
    if (addresses.length === 0) throw Object.assign(new Error(`${url.hostname} has no addresses`), { code: 'ENOTFOUND' });
    // A listed name is trusted whatever it resolves to; otherwise one internal address refuses the host (a name
    // with a public and a private address would let the connection pick the private one).
    if (!this.allowedName(url.hostname)) for (const { address } of addresses) if (!this.allowedAddress(address)) this.refuseAddress(url.hostname, address);
    return addresses;
  }

  /**
   * One HTTP request to a checked target, connected to the addresses just checked (the socket's lookup is
   * answered from them, never from a second resolution). A 3xx is returned as it is: a caller that follows it
   * calls request() again, and the new target is checked like the first.
   */
  async request(target: string | URL, init: OutboundRequest = {}): Promise<OutboundResponse> {
    const url = this.checkUrl(target);
    const addresses = await this.resolveTarget(url);
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if (options.all) {
        callback(null, addresses);
        return;
      }
      const wanted = addresses.find((entry) => !options.family || entry.family === options.family) ?? addresses[0]!;
      callback(null, wanted.address, wanted.family);
    };
    const client = url.protocol === 'https:' ? https : http;
    const maxBytes = init.maxResponseBytes ?? 1024 * 1024;
    return new Promise<OutboundResponse>((resolve, reject) => {
      const request = client.request(
        url,
        {
          method: init.method ?? 'GET',
          headers: init.headers,
          lookup: pinned,
          signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
          // One connection per request: a pooled socket would skip the lookup above.
          agent: false,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          response.on('data', (chunk: Buffer) => {
            if (kept >= maxBytes) return;
            chunks.push(chunk.subarray(0, maxBytes - kept));
            kept += Math.min(chunk.length, maxBytes - kept);
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(init.body);
    });
  }
}
