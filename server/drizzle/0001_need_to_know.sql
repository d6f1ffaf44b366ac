CREATE TABLE "placements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"authority_id" text NOT NULL,
	"provision_id" uuid NOT NULL,
	"children" integer NOT NULL,
	"from_date" date NOT NULL,
	"ended_on" date,
	"created_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "placements_children_check" CHECK ("placements"."children" > 0),
	CONSTRAINT "placements_dates_check" CHECK ("placements"."ended_on" is null or "placements"."ended_on" >= "placements"."from_date")
);
--> statement-breakpoint
CREATE TABLE "allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provision_id" uuid NOT NULL,
	"authority_id" text NOT NULL,
	"role" text DEFAULT 'quality' NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"rationale" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_reason" text,
	CONSTRAINT "allocations_role_check" CHECK ("allocations"."role" in ('quality', 'fees'))
);
--> statement-breakpoint
CREATE TABLE "outcomes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provision_id" uuid NOT NULL,
	"authority_id" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"by_lead" boolean DEFAULT false NOT NULL,
	"activity_type" text NOT NULL,
	"activity_date" date NOT NULL,
	"announced" boolean DEFAULT true NOT NULL,
	"overall_rating" integer NOT NULL,
	"section_judgements" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"summary" text NOT NULL,
	"findings" text DEFAULT '' NOT NULL,
	"action_items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"next_due_on" date,
	"created_by" text,
	"published_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outcomes_status_check" CHECK ("outcomes"."status" in ('draft', 'published', 'withdrawn')),
	CONSTRAINT "outcomes_rating_check" CHECK ("outcomes"."overall_rating" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "access_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"authority_id" text NOT NULL,
	"provision_id" uuid NOT NULL,
	"record_type" text,
	"record_id" uuid,
	"granted_by_authority_id" text NOT NULL,
	"granted_by_client_id" text,
	"reason" text,
	"case_reference" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "access_grants_kind_check" CHECK ("access_grants"."kind" in ('share', 'prospective')),
	CONSTRAINT "access_grants_shape_check" CHECK (("access_grants"."kind" = 'share' and "access_grants"."record_id" is not null) or ("access_grants"."kind" = 'prospective' and "access_grants"."record_id" is null and "access_grants"."expires_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "audit_heads" (
	"authority_id" text PRIMARY KEY NOT NULL,
	"seq" integer NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"authority_id" text NOT NULL,
	"seq" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"client_id" text,
	"action" text NOT NULL,
	"record_type" text,
	"record_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"provision_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"basis" text,
	"request_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "placements" ADD CONSTRAINT "placements_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placements" ADD CONSTRAINT "placements_provision_id_provisions_id_fk" FOREIGN KEY ("provision_id") REFERENCES "public"."provisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_provision_id_provisions_id_fk" FOREIGN KEY ("provision_id") REFERENCES "public"."provisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_provision_id_provisions_id_fk" FOREIGN KEY ("provision_id") REFERENCES "public"."provisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_provision_id_provisions_id_fk" FOREIGN KEY ("provision_id") REFERENCES "public"."provisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_granted_by_authority_id_authorities_id_fk" FOREIGN KEY ("granted_by_authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "placements_one_open" ON "placements" USING btree ("authority_id","provision_id") WHERE "placements"."ended_on" is null;--> statement-breakpoint
CREATE INDEX "placements_provision_idx" ON "placements" USING btree ("provision_id","authority_id");--> statement-breakpoint
CREATE INDEX "placements_authority_idx" ON "placements" USING btree ("authority_id","from_date");--> statement-breakpoint
CREATE UNIQUE INDEX "allocations_one_current" ON "allocations" USING btree ("provision_id","role") WHERE "allocations"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "allocations_authority_idx" ON "allocations" USING btree ("authority_id","provision_id");--> statement-breakpoint
CREATE INDEX "outcomes_provision_idx" ON "outcomes" USING btree ("provision_id","activity_date","id");--> statement-breakpoint
CREATE INDEX "outcomes_authority_idx" ON "outcomes" USING btree ("authority_id","status");--> statement-breakpoint
CREATE INDEX "access_grants_record_idx" ON "access_grants" USING btree ("record_id","authority_id");--> statement-breakpoint
CREATE INDEX "access_grants_provision_idx" ON "access_grants" USING btree ("provision_id","kind","authority_id");--> statement-breakpoint
CREATE INDEX "access_grants_authority_idx" ON "access_grants" USING btree ("authority_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_chain_key" ON "audit_log" USING btree ("authority_id","seq");--> statement-breakpoint
CREATE INDEX "audit_log_records_idx" ON "audit_log" USING gin ("record_ids");--> statement-breakpoint
CREATE INDEX "audit_log_provisions_idx" ON "audit_log" USING gin ("provision_ids");