-- Posting blocks (schema.ts, postingBlocks): long document versions' postings on the embedded
-- default, one row per (build, term, block) with arrays. Rows of postings stay for everything else.
CREATE TABLE "posting_blocks" (
	"build_id" uuid NOT NULL,
	"term" text NOT NULL,
	"block_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"corpus_id" uuid NOT NULL,
	"chunk_ids" uuid[] NOT NULL,
	"tfs" integer[] NOT NULL,
	"doc_lengths" integer[] NOT NULL,
	CONSTRAINT "posting_blocks_build_id_term_block_id_pk" PRIMARY KEY("build_id","term","block_id")
);
--> statement-breakpoint
ALTER TABLE "build_chunks" ADD COLUMN "block_id" uuid;--> statement-breakpoint
CREATE INDEX "posting_blocks_block_idx" ON "posting_blocks" USING btree ("block_id");--> statement-breakpoint
CREATE INDEX "build_chunks_block_idx" ON "build_chunks" USING btree ("block_id") WHERE "build_chunks"."block_id" IS NOT NULL;--> statement-breakpoint
-- Every posting, one row per (build, term, chunk), whichever table holds it: for ad-hoc queries and tests.
CREATE VIEW "all_postings" AS
SELECT "build_id", "term", "chunk_id", "tenant_id", "corpus_id", "tf", "doc_length" FROM "postings"
UNION ALL
SELECT b."build_id", b."term", u."chunk_id", b."tenant_id", b."corpus_id", u."tf", u."doc_length"
FROM "posting_blocks" b
CROSS JOIN LATERAL unnest(b."chunk_ids", b."tfs", b."doc_lengths") AS u("chunk_id", "tf", "doc_length");--> statement-breakpoint
-- Removed build_chunks rows take their postings with them: rows of postings as before (0004); a block
-- left with none of its chunks goes whole, and a block that keeps some has the removed chunks cut
-- out of its arrays (rows left empty go). Two writers cutting one block at once would each rewrite
-- it from their own snapshot, the second putting back what the first removed, so its rows are
-- locked first (in key order); the statements after the lock see what the other committed.
CREATE OR REPLACE FUNCTION attest_build_chunks_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM postings p USING removed r WHERE p.chunk_id = r.chunk_id AND p.build_id = r.build_id AND r.block_id IS NULL;
  IF EXISTS (SELECT 1 FROM removed WHERE block_id IS NOT NULL) THEN
    DELETE FROM posting_blocks p
    USING (SELECT DISTINCT r.build_id, r.block_id FROM removed r
           WHERE r.block_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM build_chunks bc WHERE bc.block_id = r.block_id AND bc.build_id = r.build_id)) gone
    WHERE p.block_id = gone.block_id AND p.build_id = gone.build_id;
    PERFORM 1 FROM posting_blocks p
    JOIN (SELECT DISTINCT build_id, block_id FROM removed WHERE block_id IS NOT NULL) touched
      ON touched.block_id = p.block_id AND touched.build_id = p.build_id
    ORDER BY p.build_id, p.term, p.block_id
    FOR UPDATE OF p;
    UPDATE posting_blocks p
    SET chunk_ids = kept.chunk_ids, tfs = kept.tfs, doc_lengths = kept.doc_lengths
    FROM (
      SELECT p2.build_id, p2.term, p2.block_id,
             array_agg(u.chunk_id ORDER BY u.position) AS chunk_ids,
             array_agg(u.tf ORDER BY u.position) AS tfs,
             array_agg(u.doc_length ORDER BY u.position) AS doc_lengths
      FROM posting_blocks p2
      JOIN (SELECT DISTINCT build_id, block_id FROM removed WHERE block_id IS NOT NULL) touched
        ON touched.block_id = p2.block_id AND touched.build_id = p2.build_id
      CROSS JOIN LATERAL unnest(p2.chunk_ids, p2.tfs, p2.doc_lengths) WITH ORDINALITY AS u(chunk_id, tf, doc_length, position)
      WHERE NOT EXISTS (SELECT 1 FROM removed r WHERE r.chunk_id = u.chunk_id AND r.build_id = p2.build_id)
      GROUP BY p2.build_id, p2.term, p2.block_id
    ) kept
    WHERE p.build_id = kept.build_id AND p.term = kept.term AND p.block_id = kept.block_id
      AND cardinality(p.chunk_ids) <> cardinality(kept.chunk_ids);
    DELETE FROM posting_blocks p
    USING (SELECT DISTINCT build_id, block_id FROM removed WHERE block_id IS NOT NULL) touched
    WHERE p.block_id = touched.block_id AND p.build_id = touched.build_id
      AND NOT EXISTS (SELECT 1 FROM unnest(p.chunk_ids) AS c(chunk_id)
                      WHERE NOT EXISTS (SELECT 1 FROM removed r WHERE r.chunk_id = c.chunk_id AND r.build_id = p.build_id));
  END IF;
  UPDATE build_term_stats s
  SET doc_count = s.doc_count - r.n, total_length = s.total_length - r.len, version = s.version + 1
  FROM (SELECT build_id, count(*) AS n, coalesce(sum(doc_length), 0) AS len FROM removed GROUP BY build_id) r
  WHERE s.build_id = r.build_id;
  RETURN NULL;
END $$;
