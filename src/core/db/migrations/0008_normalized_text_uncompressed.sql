-- A version's normalized text and structure are written once per upload and read whole, rarely (a new build's
-- backfill, citation checks): pglz compressing them and jsonb parsing the structure were most of the cost of
-- writing them. PGlite, freeculture.pdf's 641 KB text and 216 KB structure: 27 ms as text+jsonb compressed,
-- 12 ms as stored here (a scratch script, best of five; the text takes about twice the disk).
ALTER TABLE "document_versions" ALTER COLUMN "structure" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "document_versions" ALTER COLUMN "normalized_text" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "document_versions" ALTER COLUMN "structure" SET STORAGE EXTERNAL;
