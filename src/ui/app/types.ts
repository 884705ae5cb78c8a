/**
 * Response shapes of the v1 API as the UI reads them: all of them from the client generated from the OpenAPI
 * document (src/client/schema.ts, type-only, erased from the bundle). A field the API stops documenting, or
 * documents differently, breaks the UI's typecheck instead of its pages.
 */
import type { components, paths } from '../../client/schema';

type Schemas = components['schemas'];
/** The JSON body an operation answers with on success. */
type Ok<Path extends keyof paths, Method extends 'get' | 'post' | 'patch', Status extends number = 200> = paths[Path][Method] extends {
  responses: { [S in Status]: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;

export type Corpus = Schemas['Corpus'];
export type UploadResult = Schemas['UploadResult'];
export type Job = Schemas['Job'];
export type DocumentSummary = Schemas['Document'];
export type DocumentVersion = DocumentSummary['versions'][number];
export type AnswerBody = Schemas['Answer'];
export type Source = AnswerBody['sources'][number];
export type Citation = Schemas['Citation'];
export type Chunk = Schemas['Chunk'];
export type TextWindow = Ok<'/v1/versions/{id}/text', 'get'>;
export type CanaryRun = Schemas['CanaryRun'];
export type Alert = Ok<'/v1/corpora/{corpus}/alerts', 'get'>['alerts'][number];
export type Build = Schemas['Build'];
export type Conversation = Schemas['Conversation'];
export type ConversationTurn = Schemas['ConversationTurn'];
export type ConversationMessage = Schemas['ConversationMessage'];
export type ConversationThread = Ok<'/v1/conversations/{id}', 'get'>;
/** A help-center sitemap synced into the corpus (GET /v1/corpora/:corpus/sources). */
export type SiteSource = Schemas['Source'];
export type SiteSourceSync = Schemas['SourceSync'];
