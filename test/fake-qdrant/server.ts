import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeQdrantError, MemoryQdrant } from './memory-qdrant';
import { QdrantSpec } from './openapi';

/**
 * A recording stand-in for a Qdrant server. Every request is matched to an
 * operation of Qdrant 1.19's OpenAPI file and checked against it (path and
 * query parameters, JSON body); a request that does not conform is answered
 * the way Qdrant answers one (400, `{status: {error}, time}`) and kept in
 * `rejections`, so a suite can assert that none happened. Conforming requests
 * are served from an in-memory store (memory-qdrant.ts).
 *
 * `version` makes it an older server: it reports that version on `GET /` and,
 * like one, refuses the request fields that version did not know (collection
 * `metadata` before 1.16, upsert `update_mode` before 1.17).
 */

export interface RecordedRequest {
  method: string;
  path: string;
  operationId: string | undefined;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

export interface FakeQdrantOptions {
  version?: string;
  /** When set, requests must carry it in the `api-key` header (as Qdrant's service.api_key). */
  apiKey?: string;
}

/** Request fields with the Qdrant version that introduced them. */
const INTRODUCED: readonly { operationId: string; field: string; version: string }[] = [
  { operationId: 'create_collection', field: 'metadata', version: '1.16.0' },
  { operationId: 'upsert_points', field: 'update_mode', version: '1.17.0' },
];

let sharedSpec: QdrantSpec | undefined;

/** Compiling the spec takes a couple of seconds: once per test process. */
export function qdrantSpec(): QdrantSpec {
  sharedSpec ??= new QdrantSpec();
  return sharedSpec;
}

export function compareVersions(left: string, right: string): number {
  const parse = (version: string) => version.split(/[.-]/).slice(0, 3).map((part) => Number.parseInt(part, 10) || 0);
  const [a, b] = [parse(left), parse(right)];
  for (let index = 0; index < 3; index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export class FakeQdrant {
  readonly store = new MemoryQdrant();
  readonly requests: RecordedRequest[] = [];
  readonly rejections: { request: RecordedRequest; error: string }[] = [];
  readonly version: string;
  private server: Server | undefined;
  private readonly barriers = new Map<string, { count: number; waiting: (() => void)[] }>();

  constructor(
    private readonly options: FakeQdrantOptions = {},
    private readonly spec: QdrantSpec = qdrantSpec(),
  ) {
    this.version = options.version ?? '1.19.0';
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('fake qdrant is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  /** Holds the answers to `operationId` until `count` such requests are in flight: two writers then race for real. */
  barrier(operationId: string, count: number): void {
    this.barriers.set(operationId, { count, waiting: [] });
  }

  calls(operationId: string): RecordedRequest[] {
    return this.requests.filter((request) => request.operationId === operationId);
  }

  private async wait(operationId: string): Promise<void> {
    const barrier = this.barriers.get(operationId);
    if (!barrier) return;
    await new Promise<void>((resolve) => {
      barrier.waiting.push(resolve);
      if (barrier.waiting.length >= barrier.count) {
        this.barriers.delete(operationId);
        for (const release of barrier.waiting) release();
      }
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const record: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      operationId: undefined,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      status: 0,
    };
    this.requests.push(record);
    const send = (status: number, body: unknown) => {
      record.status = status;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const fail = (status: number, error: string) => send(status, { status: { error }, time: 0 });

    if (this.options.apiKey !== undefined && request.headers['api-key'] !== this.options.apiKey) return fail(401, 'Must provide an API key or an Authorization bearer token');
    const matched = this.spec.match(record.method, url.pathname);
    if (!matched) return fail(404, `no operation ${record.method} ${url.pathname} in the Qdrant 1.19 OpenAPI spec`);
    record.operationId = matched.operation.operationId;
    if (text.length > 0) {
      try {
        record.body = JSON.parse(text);
      } catch {
        return this.reject(record, fail, 'Format error in JSON body: not JSON');
      }
    }
    const problem = this.spec.check(matched.operation, matched.params, url.searchParams, record.body, text.length > 0);
    if (problem) return this.reject(record, fail, `Format error in JSON body: ${problem}`);
    const unknownHere = INTRODUCED.find(
      (entry) => entry.operationId === record.operationId && compareVersions(this.version, entry.version) < 0 && isRecord(record.body) && record.body[entry.field] !== undefined && record.body[entry.field] !== null,
    );
    if (unknownHere) return fail(400, `Format error in JSON body: unknown field \`${unknownHere.field}\` (Qdrant ${this.version})`);

    if (record.operationId === 'root') return send(200, this.versionInfo());
    await this.wait(record.operationId);
    try {
      send(200, { result: this.serve(record.operationId, matched.params, record.body), status: 'ok', time: 0.0001 });
    } catch (error) {
      if (error instanceof FakeQdrantError) return fail(error.status, error.message);
      return fail(500, `Service internal error: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private reject(record: RecordedRequest, fail: (status: number, error: string) => void, error: string): void {
    this.rejections.push({ request: record, error });
    fail(400, error);
  }

  private serve(operationId: string, params: Record<string, string>, body: unknown): unknown {
    const name = params.collection_name ?? '';
    const input = (isRecord(body) ? body : {}) as never;
    const completed = { operation_id: this.requests.length, status: 'completed' };
    switch (operationId) {
      case 'collection_exists':
        return { exists: this.store.collections.has(name) };
      case 'create_collection':
        this.store.create(name, input);
        return true;
      case 'get_collection':
        return this.store.info(name);
      case 'delete_collection':
        return this.store.collections.delete(name);
      case 'create_field_index':
        this.store.createIndex(name, input);
        return completed;
      case 'upsert_points':
        this.store.upsert(name, input);
        return completed;
      case 'update_vectors':
        this.store.updateVectors(name, input);
        return completed;
      case 'delete_points':
        this.store.delete(name, input);
        return completed;
      case 'get_points':
        return this.store.retrieve(name, input);
      case 'query_points':
        return { points: this.store.query(name, input) };
      default:
        throw new FakeQdrantError(501, `fake qdrant does not model ${operationId}`);
    }
  }

  /** GET / answers VersionInfo itself, not the `{result}` envelope. */
  versionInfo(): { title: string; version: string; commit: string } {
    return { title: 'qdrant - vector search engine', version: this.version, commit: '0000000000000000000000000000000000000000' };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
