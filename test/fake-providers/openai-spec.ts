/**
 * OpenAI's own published contract (../shared/specs/openai-openapi.yaml, OpenAPI
 * 3.1) as validators for the fake server: every request body the adapters send
 * is checked against the operation's request schema (createChatCompletion,
 * createEmbedding), and the fake's own answers against the response schemas.
 *
 * The YAML is 3 MB and takes about two seconds to parse, so the schemas the
 * operations reach are extracted once and kept in the OS temp directory under
 * the spec's hash; a changed spec is a new file. Set OPENAI_OPENAPI_SPEC to use
 * another copy of the spec.
 *
 * Request bodies are closed (`unevaluatedProperties: false` around the schema):
 * the service answers an unknown argument with 400 "Unrecognized request
 * argument supplied", so the fake does too.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

export const OPENAI_SPEC_PATH = resolve(process.env['OPENAI_OPENAPI_SPEC'] ?? join(process.cwd(), '../shared/specs/openai-openapi.yaml'));

type Json = Record<string, unknown>;

/** What the fake checks: each operation's request body, and its JSON (and stream chunk) response. */
const OPERATIONS = {
  createChatCompletion: { path: '/chat/completions' },
  createEmbedding: { path: '/embeddings' },
} as const;
export type OpenAIOperation = keyof typeof OPERATIONS;

interface Extracted {
  source: string;
  schemas: Record<string, unknown>;
  roots: Record<OpenAIOperation, { request: string; response: string; stream?: string }>;
}

const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const refName = (ref: unknown): string => String(ref).split('/').pop() ?? '';

/**
 * The spec still carries OpenAPI 3.0's `nullable: true` in places, which JSON
 * Schema 2020-12 does not know; its authors mean "or null", so it becomes that.
 */
function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (!isJson(node)) return node;
  const { nullable, ...rest } = node;
  const converted: Json = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, key === 'example' || key === 'default' ? value : withoutNullable(value)]));
  if (nullable !== true) return converted;
  if (typeof converted['type'] === 'string' && converted['enum'] === undefined) return { ...converted, type: [converted['type'], 'null'] };
  return { anyOf: [converted, { type: 'null' }] };
}

function extract(text: string, source: string): Extracted {
  const document = parseYaml(text) as Json;
  const components = (document['components'] as Json)['schemas'] as Json;
  const paths = document['paths'] as Json;
  const roots = {} as Extracted['roots'];
  for (const [operationId, { path }] of Object.entries(OPERATIONS) as [OpenAIOperation, { path: string }][]) {
    const post = (paths[path] as Json)['post'] as Json;
    if (post['operationId'] !== operationId) throw new Error(`${source}: POST ${path} is ${String(post['operationId'])}, not ${operationId}`);
    const content = (post['requestBody'] as Json)['content'] as Json;
    const responses = ((post['responses'] as Json)['200'] as Json)['content'] as Json;
    const schemaRef = (entry: unknown) => refName(((entry as Json)['schema'] as Json)['$ref']);
    roots[operationId] = {
      request: schemaRef(content['application/json']),
      response: schemaRef(responses['application/json']),
      ...(responses['text/event-stream'] ? { stream: schemaRef(responses['text/event-stream']) } : {}),
    };
  }
  const schemas: Record<string, unknown> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isJson(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const name = refName(value);
          if (!(name in schemas)) {
            schemas[name] = withoutNullable(components[name]);
            visit(components[name]);
          }
        } else visit(value);
      }
    }
  };
  for (const root of Object.values(roots)) for (const name of Object.values(root)) visit({ $ref: `#/components/schemas/${name}` });
  return { source, schemas, roots };
}

function loadExtracted(): Extracted {
  if (!existsSync(OPENAI_SPEC_PATH)) {
    throw new Error(`OpenAI's OpenAPI spec is missing at ${OPENAI_SPEC_PATH}: the strict fake validates every request against it (set OPENAI_OPENAPI_SPEC)`);
  }
  const text = readFileSync(OPENAI_SPEC_PATH, 'utf8');
  const hash = createHash('sha256').update(text).update('extract-v2').digest('hex').slice(0, 16);
  const cached = join(tmpdir(), `attest-openai-spec-${hash}.json`);
  if (existsSync(cached)) {
    try {
      return JSON.parse(readFileSync(cached, 'utf8')) as Extracted;
    } catch {
      // A torn write by a parallel worker: extract again.
    }
  }
  const extracted = extract(text, OPENAI_SPEC_PATH);
  const partial = `${cached}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(extracted));
  renameSync(partial, cached);
  return extracted;
}

export interface SpecValidators {
  request(operation: OpenAIOperation, body: unknown): ErrorObject[] | undefined;
  response(operation: OpenAIOperation, body: unknown): ErrorObject[] | undefined;
  streamChunk(body: unknown): ErrorObject[] | undefined;
  /** Compiles every validator now (seconds on a busy machine), so that no request waits for it. */
  warm(): void;
}

let validators: SpecValidators | undefined;

/** Compiled once per process. */
export function openAISpec(): SpecValidators {
  if (validators) return validators;
  const { schemas, roots } = loadExtracted();
  // OpenAPI 3.1 is JSON Schema 2020-12; its own keywords (discriminator, example, x-oai*) carry no constraint.
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  (addFormatsModule as unknown as (ajv: Ajv2020) => void)(ajv);
  // OpenAPI's numeric formats (and OpenAI's unixtime) name a representation, not a constraint JSON Schema checks.
  for (const format of ['float', 'double', 'int32', 'int64', 'binary', 'unixtime']) ajv.addFormat(format, true);
  ajv.addSchema({ $id: 'openai', components: { schemas } });
  const compile = (name: string, closed: boolean): ValidateFunction =>
    ajv.compile(closed ? { $ref: `openai#/components/schemas/${name}`, unevaluatedProperties: false } : { $ref: `openai#/components/schemas/${name}` });
  const compiled = new Map<string, ValidateFunction>();
  const get = (name: string, closed: boolean) => {
    const key = `${name}:${closed}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = compile(name, closed);
      compiled.set(key, validate);
    }
    return validate;
  };
  const run = (validate: ValidateFunction, body: unknown) => (validate(body) ? undefined : (validate.errors ?? []));
  validators = {
    request: (operation, body) => run(get(roots[operation].request, true), body),
    response: (operation, body) => run(get(roots[operation].response, false), body),
    streamChunk: (body) => {
      const stream = roots.createChatCompletion.stream;
      return stream ? run(get(stream, false), body) : undefined;
    },
    warm: () => {
      for (const root of Object.values(roots)) {
        get(root.request, true);
        get(root.response, false);
        if (root.stream) get(root.stream, false);
      }
    },
  };
  return validators;
}

/** One line in OpenAI's style: the argument named by its JSON path. */
export function describeSpecErrors(errors: readonly ErrorObject[]): { message: string; param: string | null } {
  const first = errors[0];
  if (!first) return { message: 'Invalid request body.', param: null };
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (first.keyword === 'unevaluatedProperties' || first.keyword === 'additionalProperties') {
    const extra = String((first.params as { unevaluatedProperty?: string; additionalProperty?: string }).unevaluatedProperty ?? (first.params as { additionalProperty?: string }).additionalProperty);
    return { message: `Unrecognized request argument supplied: ${path ? `${path}.` : ''}${extra}`, param: path || extra };
  }
  return { message: `Invalid value for '${path || 'body'}': ${first.message ?? 'does not match the schema'}.`, param: path || null };
}
