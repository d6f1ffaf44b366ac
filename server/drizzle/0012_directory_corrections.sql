CREATE TABLE "directory_corrections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provision_id" uuid,
	"provider_id" uuid,
	"changes" jsonb NOT NULL,
	"was" jsonb NOT NULL,
	"reason" text NOT NULL,
	"proposer_authority_id" text NOT NULL,
	"proposed_by" text NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"decided_by_authority_id" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "directory_corrections_subject_check" CHECK (("directory_corrections"."provision_id" is null) <> ("directory_corrections"."provider_id" is null)),
	CONSTRAINT "directory_corrections_status_check" CHECK ("directory_corrections"."status" in ('proposed', 'accepted', 'declined')),
	CONSTRAINT "directory_corrections_decision_check" CHECK (("directory_corrections"."status" = 'proposed') = ("directory_corrections"."decided_at" is null))
);
--> statement-breakpoint
ALTER TABLE "directory_corrections" ADD CONSTRAINT "directory_corrections_provision_id_provisions_id_fk" FOREIGN KEY ("provision_id") REFERENCES "public"."provisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_corrections" ADD CONSTRAINT "directory_corrections_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_corrections" ADD CONSTRAINT "directory_corrections_proposer_authority_id_authorities_id_fk" FOREIGN KEY ("proposer_authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_corrections" ADD CONSTRAINT "directory_corrections_decided_by_authority_id_authorities_id_fk" FOREIGN KEY ("decided_by_authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "directory_corrections_provision_idx" ON "directory_corrections" USING btree ("provision_id","status");--> statement-breakpoint
CREATE INDEX "directory_corrections_provider_idx" ON "directory_corrections" USING btree ("provider_id","status");--> statement-breakpoint
CREATE INDEX "directory_corrections_proposer_idx" ON "directory_corrections" USING btree ("proposer_authority_id","created_at");--> statement-breakpoint
ALTER TABLE "concerns" DROP COLUMN "severity";