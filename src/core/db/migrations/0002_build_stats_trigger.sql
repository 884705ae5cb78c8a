-- build_term_stats (N and total length for BM25) follows build_chunks by trigger, so it
-- stays equal to a recount whatever removes rows: the index adapter, or a cascade when a
-- document is deleted while its ingestion job is still writing. Statement-level triggers
-- with transition tables: one update per statement, not per row.
CREATE OR REPLACE FUNCTION attest_build_chunks_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO build_term_stats (build_id, doc_count, total_length)
  SELECT build_id, count(*), coalesce(sum(doc_length), 0) FROM added GROUP BY build_id
  ON CONFLICT (build_id) DO UPDATE
  SET doc_count = build_term_stats.doc_count + EXCLUDED.doc_count,
      total_length = build_term_stats.total_length + EXCLUDED.total_length;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION attest_build_chunks_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE build_term_stats s
  SET doc_count = s.doc_count - r.n, total_length = s.total_length - r.len
  FROM (SELECT build_id, count(*) AS n, coalesce(sum(doc_length), 0) AS len FROM removed GROUP BY build_id) r
  WHERE s.build_id = r.build_id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER build_chunks_added AFTER INSERT ON build_chunks REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION attest_build_chunks_added();--> statement-breakpoint
CREATE TRIGGER build_chunks_removed AFTER DELETE ON build_chunks REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION attest_build_chunks_removed();
