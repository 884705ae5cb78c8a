import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/**
 * Qdrant 1.19's published OpenAPI file as a request validator. The file is
 * OpenAPI 3.0 flavoured (`nullable`), so it is normalised before ajv sees it:
 * - `{nullable: true}` alone (the spec's "or null" branch of an anyOf) becomes
 *   `{type: 'null'}`: read as plain JSON Schema it is the empty schema and would
 *   accept anything, which would make every `anyOf [X, {nullable}]` field unchecked;
 * - `nullable` next to a type adds `null` to it.
 * - Object schemas that list `properties` and say nothing of others get
 *   `additionalProperties: false`. Qdrant deserialises bodies into Rust structs
 *   and untagged enums: a misspelt key does not reach the server as "ignored"
 *   when it makes the body match another variant (`{has_idd: […]}` is a valid
 *   empty `Filter` in the lax reading), and a field a server does not know is
 *   where an old server and our code disagree. Stricter than the file's letter,
 *   never more lenient than the server.
 */

export const QDRANT_SPEC_PATH = join(import.meta.dirname, '../../../shared/specs/qdrant-1.19-openapi.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonObject;
}

export interface Operation {
  operationId: string;
  method: string;
  path: string;
  /** Segments of the path template; `{name}` segments are parameters. */
  segments: string[];
  parameters: Parameter[];
  body?: ValidateFunction;
  bodyRequired: boolean;
  query: Map<string, ValidateFunction>;
  pathParams: Map<string, ValidateFunction>;
}

const DOCUMENTATION_KEYS = new Set(['description', 'default', 'example', 'examples', 'deprecated', 'title', 'format']);

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rewrites the spec's OpenAPI-isms into JSON Schema (see the module comment); refs get `prefix`. */
export function normalize(node: Json, prefix = ''): Json {
  if (Array.isArray(node)) return node.map((item) => normalize(item, prefix));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') out[key] = value.startsWith('#') ? `${prefix}${value}` : value;
    else if (key === 'properties' && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, normalize(schema, prefix)]));
    else out[key] = normalize(value, prefix);
  }
  if (out.type === 'object' && isObject(out.properties) && out.additionalProperties === undefined) out.additionalProperties = false;
  if (node.nullable !== true) return out;
  const meaningful = Object.keys(out).filter((key) => !DOCUMENTATION_KEYS.has(key));
  if (meaningful.length === 0) return { type: 'null' };
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The formats the spec uses, checked the way the server's Rust types would parse them. */
function addFormats(ajv: Ajv): void {
  const unsigned = (bits: number) => (value: number) => Number.isInteger(value) && value >= 0 && value < 2 ** bits;
  for (const [name, bits] of [['uint', 64], ['uint64', 64], ['uint32', 32], ['uint16', 16], ['uint8', 8]] as const) {
    ajv.addFormat(name, { type: 'number', validate: unsigned(bits) });
  }
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) });
  ajv.addFormat('int32', { type: 'number', validate: (value: number) => Number.isInteger(value) && Math.abs(value) < 2 ** 31 });
  // f32: finite and within its range (a NaN or an overflow is a deserialisation error on the server).
  ajv.addFormat('float', { type: 'number', validate: (value: number) => Number.isFinite(value) && Math.abs(value) <= 3.4028234663852886e38 });
  ajv.addFormat('double', { type: 'number', validate: (value: number) => Number.isFinite(value) });
  ajv.addFormat('uuid', { type: 'string', validate: (value: string) => UUID.test(value) });
  for (const loose of ['date-time', 'partial-date-time', 'binary', 'uri']) ajv.addFormat(loose, true);
}

function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  // anyOf failures list every branch; the deepest path is the one a reader needs.
  const sorted = [...(errors ?? [])].sort((left, right) => right.instancePath.length - left.instancePath.length);
  return sorted
    .slice(0, 3)
    .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${error.keyword === 'additionalProperties' ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})` : ''}`)
    .join('; ');
}

export class QdrantSpec {
  readonly operations: Operation[] = [];

  constructor(specPath = QDRANT_SPEC_PATH) {
    const spec = JSON.parse(readFileSync(specPath, 'utf8')) as JsonObject;
    const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    addFormats(ajv);
    const components = spec.components as JsonObject;
    ajv.addSchema({ $id: 'qdrant', components: normalize(components) } as object);
    const compile = (schema: Json) => ajv.compile(normalize(schema, 'qdrant') as object);
    for (const [path, methods] of Object.entries(spec.paths as JsonObject)) {
      for (const [method, raw] of Object.entries(methods as JsonObject)) {
        const operation = raw as JsonObject;
        const parameters = ((operation.parameters ?? []) as unknown as Parameter[]).filter((parameter) => parameter.in !== 'header');
        const requestBody = operation.requestBody as JsonObject | undefined;
        const content = requestBody?.content as JsonObject | undefined;
        const bodySchema = (content?.['application/json'] as JsonObject | undefined)?.schema;
        this.operations.push({
          operationId: String(operation.operationId),
          method: method.toUpperCase(),
          path,
          segments: path.split('/').filter(Boolean),
          parameters,
          ...(bodySchema ? { body: compile(bodySchema) } : {}),
          bodyRequired: requestBody?.required === true,
          query: new Map(parameters.filter((parameter) => parameter.in === 'query').map((parameter) => [parameter.name, compile(parameter.schema)])),
          pathParams: new Map(parameters.filter((parameter) => parameter.in === 'path').map((parameter) => [parameter.name, compile(parameter.schema)])),
        });
      }
    }
  }

  /** The operation a request addresses: literal segments win over `{parameters}` (`/collections/aliases`). */
  match(method: string, pathname: string): { operation: Operation; params: Record<string, string> } | undefined {
    const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let best: { operation: Operation; params: Record<string, string>; literal: number } | undefined;
    for (const operation of this.operations) {
      if (operation.method !== method || operation.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let literal = 0;
      const matches = operation.segments.every((segment, index) => {
        const actual = segments[index]!;
        if (segment.startsWith('{') && segment.endsWith('}')) {
          params[segment.slice(1, -1)] = actual;
          return true;
        }
        literal += 1;
        return segment === actual;
      });
      if (matches && (!best || literal > best.literal)) best = { operation, params, literal };
    }
    return best && { operation: best.operation, params: best.params };
  }

  /** Problems with a request, or undefined when it conforms: path parameters, query parameters, JSON body. */
  check(operation: Operation, params: Record<string, string>, query: URLSearchParams, body: unknown, hasBody: boolean): string | undefined {
    for (const [name, validate] of operation.pathParams) {
      if (!conforms(validate, params[name] ?? '')) return `path parameter ${name}: ${describeErrors(validate.errors)}`;
    }
    for (const name of new Set(query.keys())) {
      const validate = operation.query.get(name);
      if (!validate) return `unknown query parameter ${name} for ${operation.operationId}`;
      if (!conforms(validate, query.get(name) ?? '')) return `query parameter ${name}: ${describeErrors(validate.errors)}`;
    }
    for (const parameter of operation.parameters) {
      if (parameter.in === 'query' && parameter.required && !query.has(parameter.name)) return `missing query parameter ${parameter.name}`;
    }
    if (!operation.body) return hasBody ? `${operation.operationId} takes no body` : undefined;
    if (!hasBody) return operation.bodyRequired ? 'missing request body' : undefined;
    if (!operation.body(body)) return describeErrors(operation.body.errors);
    return undefined;
  }
}

/** Query and path values arrive as strings; the schema types them (booleans, integers, enums). */
function conforms(validate: ValidateFunction, value: string): boolean {
  if (validate(value)) return true;
  if (value === 'true' || value === 'false') return validate(value === 'true');
  return /^-?\d+(\.\d+)?$/.test(value) && validate(Number(value));
}
