-- An email's attachments are documents of their own, linked to the email's document: deleting the email deletes
-- them (the delete marks them with it), and a new version of the email replaces them. SET NULL, not CASCADE: a
-- child's rows go through the same stepwise delete as any document (its index entries and files first).
ALTER TABLE "documents" ADD COLUMN "parent_document_id" uuid REFERENCES "documents"("id") ON DELETE SET NULL;--> statement-breakpoint
CREATE INDEX "documents_parent_idx" ON "documents" ("parent_document_id") WHERE "parent_document_id" IS NOT NULL;--> statement-breakpoint
-- What became of each attachment of this version of an email: the child document it became, or why it did not.
ALTER TABLE "document_versions" ADD COLUMN "attachments" json;
