-- The two foreign keys on postings cost about half of every posting insert (one
-- RI check per row, and an after-trigger event queued per row). Postings are only
-- written beside their build_chunks row, in the same transaction, so they now
-- leave with it: the statement trigger that keeps build_term_stats also deletes
-- the postings of the removed rows. Chunk and build deletes still cascade to
-- build_chunks (its foreign keys stay), and from there to postings.
ALTER TABLE "postings" DROP CONSTRAINT "postings_build_id_index_builds_id_fk";
--> statement-breakpoint
ALTER TABLE "postings" DROP CONSTRAINT "postings_chunk_id_chunks_id_fk";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION attest_build_chunks_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM postings p USING removed r WHERE p.chunk_id = r.chunk_id AND p.build_id = r.build_id;
  UPDATE build_term_stats s
  SET doc_count = s.doc_count - r.n, total_length = s.total_length - r.len, version = s.version + 1
  FROM (SELECT build_id, count(*) AS n, coalesce(sum(doc_length), 0) AS len FROM removed GROUP BY build_id) r
  WHERE s.build_id = r.build_id;
  RETURN NULL;
END $$;
