-- Original files are mostly PDFs, whose streams are already compressed: pglz read every byte of each
-- upload and then kept it as it was (PGlite: ~35 ms per 2.6 MB PDF, 6 inserts: 74-104 ms against 38-73 ms,
-- the same table size). Stored as they come, out of line.
ALTER TABLE "version_blobs" ALTER COLUMN "content" SET STORAGE EXTERNAL;
