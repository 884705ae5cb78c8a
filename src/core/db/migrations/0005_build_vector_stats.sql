CREATE TABLE "build_vector_stats" (
	"build_id" uuid PRIMARY KEY NOT NULL,
	"vector_count" bigint DEFAULT 0 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "build_vector_stats" ADD CONSTRAINT "build_vector_stats_build_id_index_builds_id_fk" FOREIGN KEY ("build_id") REFERENCES "public"."index_builds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Statement-level triggers with transition tables, as for build_term_stats (0002/0003): one
-- upsert per statement and build, in the writing transaction, so the version a reader sees
-- always matches the vectors it can see.
CREATE OR REPLACE FUNCTION attest_chunk_vectors_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO build_vector_stats (build_id, vector_count, version)
  SELECT build_id, count(*), 1 FROM added GROUP BY build_id
  ON CONFLICT (build_id) DO UPDATE
  SET vector_count = build_vector_stats.vector_count + EXCLUDED.vector_count,
      version = build_vector_stats.version + 1;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION attest_chunk_vectors_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE build_vector_stats s SET version = s.version + 1
  FROM (SELECT DISTINCT build_id FROM changed) c
  WHERE s.build_id = c.build_id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION attest_chunk_vectors_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE build_vector_stats s SET vector_count = s.vector_count - r.n, version = s.version + 1
  FROM (SELECT build_id, count(*) AS n FROM removed GROUP BY build_id) r
  WHERE s.build_id = r.build_id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER chunk_vectors_added AFTER INSERT ON chunk_vectors REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION attest_chunk_vectors_added();--> statement-breakpoint
CREATE TRIGGER chunk_vectors_changed AFTER UPDATE ON chunk_vectors REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION attest_chunk_vectors_changed();--> statement-breakpoint
CREATE TRIGGER chunk_vectors_removed AFTER DELETE ON chunk_vectors REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION attest_chunk_vectors_removed();--> statement-breakpoint
-- Stores that already hold vectors start counted.
INSERT INTO build_vector_stats (build_id, vector_count, version)
SELECT build_id, count(*), 1 FROM chunk_vectors GROUP BY build_id
ON CONFLICT (build_id) DO NOTHING;
