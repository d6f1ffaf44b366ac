CREATE TABLE "outcome_versions" (
	"outcome_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"change" text NOT NULL,
	"note" text,
	"snapshot" jsonb NOT NULL,
	"by_authority_id" text NOT NULL,
	"by_client_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outcome_versions_outcome_id_version_pk" PRIMARY KEY("outcome_id","version")
);
--> statement-breakpoint
CREATE TABLE "restriction_versions" (
	"restriction_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"change" text NOT NULL,
	"note" text,
	"snapshot" jsonb NOT NULL,
	"by_authority_id" text NOT NULL,
	"by_client_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "restriction_versions_restriction_id_version_pk" PRIMARY KEY("restriction_id","version")
);
--> statement-breakpoint
CREATE TABLE "restrictions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provision_id" uuid,
	"provider_id" uuid,
	"kind" text NOT NULL,
	"issuer_authority_id" text NOT NULL,
	"source" text DEFAULT 'member' NOT NULL,
	"regulator_reference" text,
	"partnership_wide" boolean DEFAULT false NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"contract_scope" text DEFAULT 'all' NOT NULL,
	"contract_reference" text,
	"summary" text DEFAULT '' NOT NULL,
	"details" text DEFAULT '' NOT NULL,
	"effective_from" date NOT NULL,
	"review_on" date,
	"expires_on" date,
	"compliance_due_on" date,
	"lifted_on" date,
	"lifted_reason" text,
	"created_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "restrictions_target_check" CHECK (("restrictions"."provision_id" is null) <> ("restrictions"."provider_id" is null)),
	CONSTRAINT "restrictions_source_check" CHECK ("restrictions"."source" in ('member', 'regulator'))
);
--> statement-breakpoint
CREATE TABLE "concerns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provision_id" uuid NOT NULL,
	"authority_id" text NOT NULL,
	"category" text NOT NULL,
	"severity" text NOT NULL,
	"occurred_on" date NOT NULL,
	"summary" text NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"authority_id" text NOT NULL,
	"key" text NOT NULL,
	"procedure" text NOT NULL,
	"request_hash" text NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_authority_id_key_pk" PRIMARY KEY("authority_id","key")
);
--> statement-breakpoint
CREATE TABLE "monitoring_frequencies" (
	"provision_type" text PRIMARY KEY NOT NULL,
	"months" integer NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outcomes" DROP CONSTRAINT "outcomes_status_check";--> statement-breakpoint
ALTER TABLE "access_grants" DROP CONSTRAINT "access_grants_shape_check";--> statement-breakpoint
ALTER TABLE "access_grants" ALTER COLUMN "provision_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outcomes" ADD COLUMN "amended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outcomes" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outcomes" ADD COLUMN "withdrawn_reason" text;--> statement-breakpoint
ALTER TABLE "outcome_versions" ADD CONSTRAINT "outcome_versions_outcome_id_outcomes_id_fk" FOREIGN KEY ("outcome_id") REFERENCES "public"."outcomes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restriction_versions" ADD CONSTRAINT "restriction_versions_restriction_id_restrictions_id_fk" FOREIGN KEY ("restriction_id") REFERENCES "public"."restrictions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restrictions" ADD CONSTRAINT "restrictions_provision_id_provisions_id_fk" FOREIGN KEY ("provision_id") REFERENCES "public"."provisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restrictions" ADD CONSTRAINT "restrictions_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restrictions" ADD CONSTRAINT "restrictions_issuer_authority_id_authorities_id_fk" FOREIGN KEY ("issuer_authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concerns" ADD CONSTRAINT "concerns_provision_id_provisions_id_fk" FOREIGN KEY ("provision_id") REFERENCES "public"."provisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concerns" ADD CONSTRAINT "concerns_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "restrictions_provision_idx" ON "restrictions" USING btree ("provision_id","effective_from");--> statement-breakpoint
CREATE INDEX "restrictions_provider_idx" ON "restrictions" USING btree ("provider_id","effective_from");--> statement-breakpoint
CREATE INDEX "restrictions_issuer_idx" ON "restrictions" USING btree ("issuer_authority_id","kind");--> statement-breakpoint
CREATE INDEX "concerns_provision_idx" ON "concerns" USING btree ("provision_id","occurred_on");--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_status_check" CHECK ("outcomes"."status" in ('draft', 'published', 'amended', 'withdrawn'));--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_shape_check" CHECK (("access_grants"."kind" = 'share' and "access_grants"."record_id" is not null) or ("access_grants"."kind" = 'prospective' and "access_grants"."record_id" is null and "access_grants"."provision_id" is not null and "access_grants"."expires_at" is not null));