-- A version per build, bumped in the same statement-level triggers that keep N and the total
-- length: a process that caches a build's postings in memory serves from the cache only while
-- its version equals this one (equal counts are not enough: removing one chunk and adding
-- another of the same length leaves them unchanged).
ALTER TABLE "build_term_stats" ADD COLUMN "version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION attest_build_chunks_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO build_term_stats (build_id, doc_count, total_length, version)
  SELECT build_id, count(*), coalesce(sum(doc_length), 0), 1 FROM added GROUP BY build_id
  ON CONFLICT (build_id) DO UPDATE
  SET doc_count = build_term_stats.doc_count + EXCLUDED.doc_count,
      total_length = build_term_stats.total_length + EXCLUDED.total_length,
      version = build_term_stats.version + 1;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION attest_build_chunks_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE build_term_stats s
  SET doc_count = s.doc_count - r.n, total_length = s.total_length - r.len, version = s.version + 1
  FROM (SELECT build_id, count(*) AS n, coalesce(sum(doc_length), 0) AS len FROM removed GROUP BY build_id) r
  WHERE s.build_id = r.build_id;
  RETURN NULL;
END $$;
