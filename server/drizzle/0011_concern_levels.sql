CREATE TABLE "concern_versions" (
	"concern_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"change" text NOT NULL,
	"note" text,
	"snapshot" jsonb NOT NULL,
	"by_authority_id" text NOT NULL,
	"by_client_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "concern_versions_concern_id_version_pk" PRIMARY KEY("concern_id","version")
);
--> statement-breakpoint
CREATE TABLE "risk_bands" (
	"id" text PRIMARY KEY DEFAULT 'partnership' NOT NULL,
	"medium_from" integer NOT NULL,
	"high_from" integer NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "risk_bands_one_row" CHECK ("risk_bands"."id" = 'partnership'),
	CONSTRAINT "risk_bands_order" CHECK ("risk_bands"."medium_from" >= 2 and "risk_bands"."high_from" > "risk_bands"."medium_from")
);
--> statement-breakpoint
ALTER TABLE "concerns" ALTER COLUMN "severity" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "merged_into_id" uuid;--> statement-breakpoint
ALTER TABLE "provisions" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "provisions" ADD COLUMN "merged_into_id" uuid;--> statement-breakpoint
ALTER TABLE "restrictions" ADD COLUMN "concern_level" integer;--> statement-breakpoint
ALTER TABLE "concerns" ADD COLUMN "level" text;--> statement-breakpoint
ALTER TABLE "concerns" ADD COLUMN "status" text DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE "concerns" ADD COLUMN "closed_reason" text;--> statement-breakpoint
ALTER TABLE "concerns" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "concerns" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "concerns" SET "level" = CASE "severity" WHEN 'low' THEN 'minor' WHEN 'medium' THEN 'level-1' ELSE 'level-2' END;--> statement-breakpoint
ALTER TABLE "concerns" ALTER COLUMN "level" SET NOT NULL;--> statement-breakpoint
UPDATE "concerns" SET "category" = CASE "category" WHEN 'contract-compliance' THEN 'quality' WHEN 'regulator-judgement' THEN 'regulator' ELSE "category" END;--> statement-breakpoint
UPDATE "concerns" SET "updated_at" = "created_at";--> statement-breakpoint
INSERT INTO "concern_versions" ("concern_id", "version", "change", "note", "snapshot", "by_authority_id", "by_client_id", "at") SELECT "id", 1, 'logged', NULL, jsonb_build_object('provisionId', "provision_id", 'authorityId', "authority_id", 'category', "category", 'level', "level", 'status', 'open', 'occurredOn', "occurred_on", 'summary', "summary", 'restricted', "restricted", 'version', 1), "authority_id", "created_by", "created_at" FROM "concerns";--> statement-breakpoint
UPDATE "restrictions" SET "concern_level" = 1 WHERE "kind" = 'causing-concern-level';--> statement-breakpoint
ALTER TABLE "concern_versions" ADD CONSTRAINT "concern_versions_concern_id_concerns_id_fk" FOREIGN KEY ("concern_id") REFERENCES "public"."concerns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_merged_into_id_providers_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisions" ADD CONSTRAINT "provisions_merged_into_id_provisions_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."provisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_merged_check" CHECK (("providers"."status" = 'merged') = ("providers"."merged_into_id" is not null) and "providers"."status" in ('active', 'merged'));--> statement-breakpoint
ALTER TABLE "provisions" ADD CONSTRAINT "provisions_merged_check" CHECK (("provisions"."status" = 'merged') = ("provisions"."merged_into_id" is not null) and "provisions"."status" in ('active', 'merged'));--> statement-breakpoint
ALTER TABLE "restrictions" ADD CONSTRAINT "restrictions_concern_level_check" CHECK (("restrictions"."kind" = 'causing-concern-level') = ("restrictions"."concern_level" is not null) and ("restrictions"."concern_level" is null or "restrictions"."concern_level" in (1, 2)));--> statement-breakpoint
ALTER TABLE "concerns" ADD CONSTRAINT "concerns_level_check" CHECK ("concerns"."level" in ('minor', 'level-1', 'level-2'));--> statement-breakpoint
ALTER TABLE "concerns" ADD CONSTRAINT "concerns_status_check" CHECK ("concerns"."status" in ('open', 'substantiated', 'unsubstantiated', 'closed'));--> statement-breakpoint
ALTER TABLE "concerns" ADD CONSTRAINT "concerns_category_check" CHECK ("concerns"."category" in ('safeguarding', 'quality', 'criminal-investigation', 'financial', 'regulator'));