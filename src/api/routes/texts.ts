import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { chunks, documents, documentVersions } from '../../core/db/schema';
import { AppError } from '../../core/errors';
import { readVersionBytes } from '../../../ingestion/documents';
import { principalOf, requireScope } from '../auth';
import type { AppDeps } from '../deps';

/** The most text one call returns: enough for a chunk and its neighbourhood, not a whole book. */
const MAX_WINDOW = 20_000;

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form (quotes, paths and controls never pass). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/gu, '_').replace(/["\\/;]/gu, '_').trim() || 'document';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** Evidence for citations: a chunk, or a window of a version's normalized text (the space citation offsets live in). */
export function textRoutes(app: FastifyInstance, deps: AppDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  // The uploaded file as it was (the UI's "Open original"), with the type it was sniffed as.
  routes.get(
    '/v1/versions/:id/original',
    { schema: { params: z.object({ id: z.string().uuid() }) }, preHandler: requireScope(deps.authenticate, 'query') },
    async (request, reply) => {
      const { tenantId } = principalOf(request);
      const [row] = await deps.store.db
        .select({ mime: documentVersions.mime, fileName: documentVersions.fileName, title: documents.title })
        .from(documentVersions)
        .innerJoin(documents, eq(documents.id, documentVersions.documentId))
        .where(and(eq(documentVersions.id, request.params.id), eq(documentVersions.tenantId, tenantId)));
      if (!row) throw new AppError('NOT_FOUND', `version ${request.params.id} not found`);
      const bytes = await readVersionBytes(deps.store.db, deps.store.driver, request.params.id, deps.store.originalsDir);
      if (!bytes) throw new AppError('NOT_FOUND', `the original file of version ${request.params.id} is no longer stored`);
      const textual = row.mime.startsWith('text/');
      return reply
        .header('content-type', textual ? `${row.mime}; charset=utf-8` : row.mime)
        .header('content-disposition', contentDisposition(row.fileName ?? row.title))
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );
  // Document text is what questions read: an ingest-only key (an uploader) does not get it back.
  const reader = requireScope(deps.authenticate, 'query');
  routes.get('/v1/chunks/:id', { schema: { params: z.object({ id: z.string().uuid() }) }, preHandler: reader }, async (request) => {
    const { tenantId } = principalOf(request);
    const [row] = await deps.store.db
      .select({ chunk: chunks, title: documents.title })
      .from(chunks)
      .innerJoin(documents, eq(documents.id, chunks.documentId))
      .where(and(eq(chunks.id, request.params.id), eq(chunks.tenantId, tenantId)));
    if (!row) throw new AppError('NOT_FOUND', `chunk ${request.params.id} not found`);
    const { chunk } = row;
    return {
      id: chunk.id,
      documentId: chunk.documentId,
      versionId: chunk.versionId,
      title: row.title,
      ordinal: chunk.ordinal,
      page: chunk.pageStart,
      pageEnd: chunk.pageEnd,
      headingPath: chunk.headingPath,
      start: chunk.charStart,
      end: chunk.charEnd,
      text: chunk.text,
    };
  });

  routes.get(
    '/v1/versions/:id/text',
    {
      schema: {
        params: z.object({ id: z.string().uuid() }),
        querystring: z.object({ start: z.coerce.number().int().min(0).default(0), end: z.coerce.number().int().min(0).optional() }),
      },
      preHandler: reader,
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const start = request.query.start;
      const end = Math.min(request.query.end ?? start + MAX_WINDOW, start + MAX_WINDOW);
      if (end < start) throw new AppError('VALIDATION_FAILED', 'end must not be before start');
      const [row] = await deps.store.db
        .select({ text: documentVersions.normalizedText })
        .from(documentVersions)
        .where(and(eq(documentVersions.id, request.params.id), eq(documentVersions.tenantId, tenantId)));
      if (!row) throw new AppError('NOT_FOUND', `version ${request.params.id} not found`);
      // Sliced here, not with SQL substr: citation offsets are JavaScript (UTF-16) indices.
      const text = row.text ?? '';
      return { versionId: request.params.id, start, end: Math.min(end, text.length), length: text.length, text: text.slice(start, end) };
    },
  );
}
