import { createHash, type Hash } from 'node:crypto';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCorpus } from '../../core/corpora';
import { AppError, isAppError } from '../../core/errors';
import { isEmpty, isEncryptedOffice, sniffMime } from '../../../ingestion/sniff';
import { inputProblem } from '../input-check';
import { principalOf, requireScope } from '../auth';
import type { AppDeps } from '../deps';

const uuidParam = z.string().uuid();
/** Room for multipart boundaries and the small text fields around the file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * The multipart parser's own errors ("Unexpected end of multipart data" for a cut
 * or boundary-less body, "Malformed part header"...) are plain Errors that would
 * leave as 500 INTERNAL; they mean the client sent a broken body. Ours and
 * fastify's coded errors (the size and count limits) keep their meaning. Only
 * parsing happens in the loop this wraps, so no store failure is hidden.
 */
function malformedMultipart(error: unknown): unknown {
  if (isAppError(error)) return error;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'string' && code.startsWith('FST_')) return error;
  if (typeof statusCode === 'number' && statusCode < 500) return error;
  return new AppError('BAD_REQUEST', `the multipart body is malformed: ${error instanceof Error ? error.message.slice(0, 200) : 'unreadable'}`, { cause: error });
}

/** How long the request may sit paused by the parser, with bytes still unread, before the upload is refused. */
const PARSER_STALL_MS = 2_000;

/**
 * @fastify/busboy (3.2.6) stops reading for good when it skips a part larger
 * than its 16 KB buffer, e.g. a part header with a bare line feed in its file
 * name (`filename="\n"`): the request stays paused, the body unread, and the
 * upload never answers. Our loop only ever waits on the parser, so a request
 * left paused (not merely waiting for a slow client, which keeps it flowing)
 * means the parser is stuck: refuse the upload instead of hanging.
 */
function stallWatchdog(request: FastifyRequest): { stalled: Promise<never>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_resolve, reject) => {
    let pausedSince: number | undefined;
    timer = setInterval(() => {
      const raw = request.raw;
      const paused = raw.readableFlowing === false && !raw.readableEnded && !raw.destroyed;
      if (!paused) {
        pausedSince = undefined;
        return;
      }
      pausedSince ??= Date.now();
      if (Date.now() - pausedSince >= PARSER_STALL_MS) {
        reject(new AppError('BAD_REQUEST', 'the multipart body could not be parsed (a malformed part stalled the parser)'));
      }
    }, 250);
    timer.unref();
  });
  // Nobody awaits it once the upload was read.
  stalled.catch(() => undefined);
  return { stalled, stop: () => clearInterval(timer) };
}

async function readUpload(request: FastifyRequest, maxBytes: number) {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'upload as multipart/form-data with a "file" field');
  let file: { bytes: Uint8Array; fileName: string } | undefined;
  const fields: Record<string, string> = {};
  const fileHash = createHash('sha256');
  const read = async () => {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4096 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw new AppError('VALIDATION_FAILED', `unexpected file field "${part.fieldname}"; use "file"`);
        }
        const buffer = await readHashed(part, fileHash, maxBytes);
        file = { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), fileName: part.filename };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  };
  const watchdog = stallWatchdog(request);
  try {
    await Promise.race([read(), watchdog.stalled]);
  } catch (error) {
    throw malformedMultipart(error);
  } finally {
    watchdog.stop();
  }
  if (!file) throw new AppError('VALIDATION_FAILED', 'multipart body has no "file" field');
  // What the request asks for: the file's bytes, its name and the form fields (not the multipart framing, whose
  // boundary a client draws afresh for each retry of the same upload).
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([file.fileName, Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), fileHash.digest('hex')]))
    .digest('hex');
  return { file, fields, fingerprint };
}

/**
 * The file part's bytes, hashed as they stream in (a 50 MB upload is not hashed in one block on the event loop).
 * Same contract as @fastify/multipart's toBuffer: a file over the size limit throws its 413 error.
 */
async function readHashed(part: MultipartFile, hash: Hash, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let tooLarge = false;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    if (part.file.truncated) tooLarge = true;
    if (tooLarge) continue;
    hash.update(chunk);
    chunks.push(chunk);
  }
  if (tooLarge || part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', `the file is larger than the limit of ${maxBytes} bytes`, { details: { limit: maxBytes } });
  return Buffer.concat(chunks);
}

const uploadFields = z.object({
  title: z.string().trim().min(1).max(300).optional(),
  externalId: z.string().trim().min(1).max(300).optional(),
});

export function documentRoutes(app: FastifyInstance, deps: AppDeps): void {
  const maxBytes = deps.config.MAX_UPLOAD_BYTES;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.register(async (scoped) => {
    await scoped.register(multipart, { limits: { fileSize: maxBytes, files: 1 } });
    scoped.withTypeProvider<ZodTypeProvider>().post(
      '/v1/corpora/:corpus/documents',
      {
        schema: { params: z.object({ corpus: z.string().min(1) }) },
        bodyLimit: maxBytes + MULTIPART_OVERHEAD_BYTES,
        // Refuse an oversized upload from its Content-Length, before reading the body.
        onRequest: async (request) => {
          const length = Number(request.headers['content-length'] ?? 0);
          if (length > maxBytes + MULTIPART_OVERHEAD_BYTES) {
            throw new AppError('PAYLOAD_TOO_LARGE', `upload is ${length} bytes; the limit is ${maxBytes}`, { details: { limit: maxBytes, received: length } });
          }
        },
        preHandler: requireScope(deps.authenticate, 'ingest'),
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const corpus = await getCorpus(deps.store.db, tenantId, request.params.corpus);
        const depth = await deps.jobs.depth().catch(() => undefined);
        if (depth && depth.waiting >= deps.config.MAX_INGEST_QUEUE_DEPTH) {
          throw new AppError('OVERLOADED', `${depth.waiting} ingestion jobs are waiting; retry later`, {
            retryAfterMs: 30_000,
            details: { waiting: depth.waiting, limit: deps.config.MAX_INGEST_QUEUE_DEPTH, oldestWaitingSeconds: Math.round(depth.oldestWaitingAgeMs / 1000) },
          });
        }
        const { file, fields, fingerprint } = await readUpload(request, maxBytes);
        if (request.claimIdempotency && (await request.claimIdempotency(fingerprint))) return reply;
        // Multipart is parsed in the handler, after the app's preValidation input check: the same check here.
        const problem = inputProblem({ ...fields, fileName: file.fileName }, 'multipart');
        if (problem) throw new AppError('VALIDATION_FAILED', problem);
        const parsedFields = uploadFields.safeParse(fields);
        if (!parsedFields.success) throw new AppError('VALIDATION_FAILED', parsedFields.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
        if (isEmpty(file.bytes)) throw new AppError('EMPTY_FILE', 'the uploaded file is empty');
        if (isEncryptedOffice(file.bytes)) throw new AppError('OFFICE_ENCRYPTED', 'the Office file is password-protected; upload an unencrypted copy');
        const mime = sniffMime(file.bytes, file.fileName);
        if (!mime) {
          throw new AppError(
            'UNSUPPORTED_MEDIA_TYPE',
            'unsupported file type: upload PDF, Word (DOCX), PowerPoint (PPTX), Excel (XLSX), CSV, OpenDocument, EPUB, email (EML), PNG/JPEG/TIFF images, Markdown, HTML or plain text (UTF-8)',
          );
        }
        const result = await deps.services.ingestion.upload(
          { corpus, bytes: file.bytes, mime, fileName: file.fileName, title: parsedFields.data.title, externalId: parsedFields.data.externalId },
          request.id,
        );
        return reply.status(202).send(result);
      },
    );
  });

  routes.get(
    '/v1/corpora/:corpus/documents',
    {
      schema: {
        params: z.object({ corpus: z.string().min(1) }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).default(0) }),
      },
      preHandler: deps.authenticate,
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const corpus = await getCorpus(deps.store.db, tenantId, request.params.corpus);
      return { documents: await deps.services.ingestion.list(corpus, request.query) };
    },
  );

  routes.get('/v1/documents/:id', { schema: { params: z.object({ id: uuidParam }) }, preHandler: deps.authenticate }, async (request) => {
    const { tenantId } = principalOf(request);
    return deps.services.ingestion.get(tenantId, request.params.id);
  });

  routes.delete(
    '/v1/documents/:id',
    { schema: { params: z.object({ id: uuidParam }) }, preHandler: requireScope(deps.authenticate, 'ingest') },
    async (request, reply) => {
      const { tenantId } = principalOf(request);
      await deps.services.ingestion.delete(tenantId, request.params.id);
      return reply.status(204).send();
    },
  );
}
