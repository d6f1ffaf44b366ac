CREATE TABLE "monitoring_risk_frequencies" (
	"provision_type" text NOT NULL,
	"trigger" text NOT NULL,
	"months" integer NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "monitoring_risk_frequencies_provision_type_trigger_pk" PRIMARY KEY("provision_type","trigger"),
	CONSTRAINT "monitoring_risk_frequencies_trigger_check" CHECK ("monitoring_risk_frequencies"."trigger" in ('grade-requires-improvement', 'grade-inadequate', 'manager-changed'))
);
--> statement-breakpoint
ALTER TABLE "provisions" ADD COLUMN "registered_manager_changed_on" date;--> statement-breakpoint
CREATE INDEX "outcomes_monitoring_idx" ON "outcomes" USING btree ("provision_id","activity_date" DESC NULLS FIRST,"published_at" DESC NULLS FIRST) WHERE "outcomes"."status" in ('published', 'amended') and "outcomes"."by_lead" and "outcomes"."activity_type" in ('full-qa-visit', 'monitoring-visit', 'unannounced-visit', 'property-only-visit', 'desk-review', 'compliance-review');