-- A delete first marks its document (and frees its match key, so a new upload of the same name or bytes makes a
-- new document), then removes the chunks from every index, then the rows. A crash in between leaves the mark, and
-- the recovery sweep (at start and periodically) finishes the delete: nothing reads a half-deleted document.
ALTER TABLE "documents" ADD COLUMN "deleting_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "documents_deleting_idx" ON "documents" ("deleting_at") WHERE "deleting_at" IS NOT NULL;
