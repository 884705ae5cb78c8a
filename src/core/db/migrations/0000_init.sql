CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"corpus_id" uuid NOT NULL,
	"cause" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"run_id" uuid,
	"payload" jsonb NOT NULL,
	"deliveries" integer DEFAULT 0 NOT NULL,
	"delivered" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "answer_cache" (
	"key" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "answer_traces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"corpus_id" uuid NOT NULL,
	"request_id" text,
	"trace" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "build_chunks" (
	"build_id" uuid NOT NULL,
	"chunk_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"corpus_id" uuid NOT NULL,
	"doc_length" integer NOT NULL,
	CONSTRAINT "build_chunks_build_id_chunk_id_pk" PRIMARY KEY("build_id","chunk_id")
);
--> statement-breakpoint
CREATE TABLE "build_term_stats" (
	"build_id" uuid PRIMARY KEY NOT NULL,
	"doc_count" bigint DEFAULT 0 NOT NULL,
	"total_length" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "canaries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"corpus_id" uuid NOT NULL,
	"query" text NOT NULL,
	"expect_document_id" uuid,
	"expect_chunk_contains" text,
	"k" integer DEFAULT 10 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "canary_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"corpus_id" uuid NOT NULL,
	"build_id" uuid,
	"generation" integer NOT NULL,
	"embedding_model_id" text,
	"analyzer_version" text,
	"prompt_version" text,
	"trigger" text NOT NULL,
	"k" integer NOT NULL,
	"recall_at_k" double precision,
	"mrr" double precision,
	"hits" integer DEFAULT 0 NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"misses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"latency_ms" double precision,
	"failed" boolean DEFAULT false NOT NULL,
	"error" text,
	"alerted" boolean DEFAULT false NOT NULL,
	"tick_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chunk_vectors" (
	"build_id" uuid NOT NULL,
	"chunk_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"corpus_id" uuid NOT NULL,
	"model_id" text NOT NULL,
	"embedding" vector NOT NULL,
	CONSTRAINT "chunk_vectors_build_id_chunk_id_pk" PRIMARY KEY("build_id","chunk_id")
);
--> statement-breakpoint
CREATE TABLE "chunks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"corpus_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"chunker_hash" text NOT NULL,
	"ordinal" integer NOT NULL,
	"text" text NOT NULL,
	"char_start" integer NOT NULL,
	"char_end" integer NOT NULL,
	"page_start" integer,
	"page_end" integer,
	"heading_path" text[] DEFAULT '{}'::text[] NOT NULL,
	"token_count" integer NOT NULL,
	"content_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "corpora" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"active_build_id" uuid,
	"generation" integer DEFAULT 0 NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"corpus_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"content_sha256" text NOT NULL,
	"bytes" integer NOT NULL,
	"mime" text NOT NULL,
	"file_name" text,
	"pages" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"error_code" text,
	"error_message" text,
	"normalized_text" text,
	"structure" jsonb,
	"job_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"corpus_id" uuid NOT NULL,
	"title" text NOT NULL,
	"external_id" text,
	"match_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "embedding_cache" (
	"fingerprint" text NOT NULL,
	"content_hash" text NOT NULL,
	"embedding" real[] NOT NULL,
	CONSTRAINT "embedding_cache_fingerprint_content_hash_pk" PRIMARY KEY("fingerprint","content_hash")
);
--> statement-breakpoint
CREATE TABLE "embedding_models" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"dimension" integer NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"fingerprint" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"trace_id" uuid NOT NULL,
	"rating" text NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"route" text NOT NULL,
	"request_hash" text NOT NULL,
	"state" text NOT NULL,
	"status_code" integer,
	"response_body" text,
	"response_headers" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "index_builds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"corpus_id" uuid NOT NULL,
	"embedding_model_id" text NOT NULL,
	"chunker" jsonb NOT NULL,
	"chunker_hash" text NOT NULL,
	"analyzer_version" text NOT NULL,
	"status" text NOT NULL,
	"stats" jsonb DEFAULT '{"documents":0,"chunks":0,"failures":0}'::jsonb NOT NULL,
	"warning" text,
	"canary_report" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"promoted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid,
	"queue" text NOT NULL,
	"name" text NOT NULL,
	"data" jsonb NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"progress" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"error" jsonb,
	"request_id" text,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "postings" (
	"build_id" uuid NOT NULL,
	"term" text NOT NULL,
	"chunk_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"corpus_id" uuid NOT NULL,
	"tf" integer NOT NULL,
	"doc_length" integer NOT NULL,
	CONSTRAINT "postings_build_id_term_chunk_id_pk" PRIMARY KEY("build_id","term","chunk_id")
);
--> statement-breakpoint
CREATE TABLE "tenant_usage" (
	"tenant_id" uuid NOT NULL,
	"day" text NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "tenant_usage_tenant_id_day_pk" PRIMARY KEY("tenant_id","day")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"limits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "version_blobs" (
	"version_id" uuid PRIMARY KEY NOT NULL,
	"content" "bytea" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_corpus_id_corpora_id_fk" FOREIGN KEY ("corpus_id") REFERENCES "public"."corpora"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "build_chunks" ADD CONSTRAINT "build_chunks_build_id_index_builds_id_fk" FOREIGN KEY ("build_id") REFERENCES "public"."index_builds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "build_chunks" ADD CONSTRAINT "build_chunks_chunk_id_chunks_id_fk" FOREIGN KEY ("chunk_id") REFERENCES "public"."chunks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "build_term_stats" ADD CONSTRAINT "build_term_stats_build_id_index_builds_id_fk" FOREIGN KEY ("build_id") REFERENCES "public"."index_builds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "canaries" ADD CONSTRAINT "canaries_corpus_id_corpora_id_fk" FOREIGN KEY ("corpus_id") REFERENCES "public"."corpora"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "canary_runs" ADD CONSTRAINT "canary_runs_corpus_id_corpora_id_fk" FOREIGN KEY ("corpus_id") REFERENCES "public"."corpora"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chunk_vectors" ADD CONSTRAINT "chunk_vectors_build_id_index_builds_id_fk" FOREIGN KEY ("build_id") REFERENCES "public"."index_builds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chunk_vectors" ADD CONSTRAINT "chunk_vectors_chunk_id_chunks_id_fk" FOREIGN KEY ("chunk_id") REFERENCES "public"."chunks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chunks" ADD CONSTRAINT "chunks_version_id_document_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."document_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corpora" ADD CONSTRAINT "corpora_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_versions" ADD CONSTRAINT "document_versions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_corpus_id_corpora_id_fk" FOREIGN KEY ("corpus_id") REFERENCES "public"."corpora"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_trace_id_answer_traces_id_fk" FOREIGN KEY ("trace_id") REFERENCES "public"."answer_traces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "index_builds" ADD CONSTRAINT "index_builds_corpus_id_corpora_id_fk" FOREIGN KEY ("corpus_id") REFERENCES "public"."corpora"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "index_builds" ADD CONSTRAINT "index_builds_embedding_model_id_embedding_models_id_fk" FOREIGN KEY ("embedding_model_id") REFERENCES "public"."embedding_models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_build_id_index_builds_id_fk" FOREIGN KEY ("build_id") REFERENCES "public"."index_builds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_chunk_id_chunks_id_fk" FOREIGN KEY ("chunk_id") REFERENCES "public"."chunks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_blobs" ADD CONSTRAINT "version_blobs_version_id_document_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."document_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_corpus_idx" ON "alerts" USING btree ("corpus_id","status");--> statement-breakpoint
CREATE INDEX "answer_traces_tenant_idx" ON "answer_traces" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "api_keys_tenant_idx" ON "api_keys" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "canaries_corpus_idx" ON "canaries" USING btree ("corpus_id");--> statement-breakpoint
CREATE INDEX "canary_runs_corpus_idx" ON "canary_runs" USING btree ("corpus_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "canary_runs_tick_uq" ON "canary_runs" USING btree ("corpus_id","tick_key");--> statement-breakpoint
CREATE UNIQUE INDEX "chunks_version_chunker_ordinal_uq" ON "chunks" USING btree ("version_id","chunker_hash","ordinal");--> statement-breakpoint
CREATE INDEX "chunks_tenant_corpus_idx" ON "chunks" USING btree ("tenant_id","corpus_id");--> statement-breakpoint
CREATE UNIQUE INDEX "corpora_tenant_name_uq" ON "corpora" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "document_versions_doc_sha_uq" ON "document_versions" USING btree ("document_id","content_sha256");--> statement-breakpoint
CREATE INDEX "document_versions_status_idx" ON "document_versions" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_corpus_match_uq" ON "documents" USING btree ("corpus_id","match_key");--> statement-breakpoint
CREATE INDEX "documents_corpus_idx" ON "documents" USING btree ("tenant_id","corpus_id");--> statement-breakpoint
CREATE INDEX "index_builds_corpus_idx" ON "index_builds" USING btree ("corpus_id","status");--> statement-breakpoint
CREATE INDEX "jobs_state_idx" ON "jobs" USING btree ("queue","state");--> statement-breakpoint
CREATE INDEX "postings_chunk_idx" ON "postings" USING btree ("chunk_id");