CREATE TABLE "authorities" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"gss_code" text,
	"region" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"qa_inbox" text NOT NULL,
	"is_host" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "authorities_status_check" CHECK ("authorities"."status" in ('active', 'suspended', 'left'))
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"id" text PRIMARY KEY NOT NULL,
	"authority_id" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"secret_hash" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "clients_role_check" CHECK ("clients"."role" in ('viewer', 'officer', 'admin', 'hub-admin')),
	CONSTRAINT "clients_status_check" CHECK ("clients"."status" in ('active', 'revoked'))
);
--> statement-breakpoint
CREATE TABLE "providers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"company_number" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider_id" uuid NOT NULL,
	"name" text NOT NULL,
	"urn" text,
	"type" text NOT NULL,
	"host_authority_id" text NOT NULL,
	"registration_status" text DEFAULT 'registered' NOT NULL,
	"ofsted_grade" text DEFAULT 'not-yet-inspected' NOT NULL,
	"ofsted_grade_date" date,
	"postcode" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provisions_grade_check" CHECK ("provisions"."ofsted_grade" in ('outstanding', 'good', 'requires-improvement', 'inadequate', 'not-yet-inspected'))
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_jwk" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "signing_keys_status_check" CHECK ("signing_keys"."status" in ('active', 'retired'))
);
--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisions" ADD CONSTRAINT "provisions_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisions" ADD CONSTRAINT "provisions_host_authority_id_authorities_id_fk" FOREIGN KEY ("host_authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "authorities_gss_code_key" ON "authorities" USING btree ("gss_code");--> statement-breakpoint
CREATE UNIQUE INDEX "authorities_one_host" ON "authorities" USING btree ("is_host") WHERE "authorities"."is_host";--> statement-breakpoint
CREATE INDEX "clients_authority_idx" ON "clients" USING btree ("authority_id","created_at");--> statement-breakpoint
CREATE INDEX "providers_name_idx" ON "providers" USING btree ("name","id");--> statement-breakpoint
CREATE UNIQUE INDEX "providers_company_number_key" ON "providers" USING btree ("company_number");--> statement-breakpoint
CREATE UNIQUE INDEX "provisions_urn_key" ON "provisions" USING btree ("urn");--> statement-breakpoint
CREATE INDEX "provisions_name_idx" ON "provisions" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "provisions_provider_idx" ON "provisions" USING btree ("provider_id","name","id");--> statement-breakpoint
CREATE INDEX "provisions_host_idx" ON "provisions" USING btree ("host_authority_id","name","id");--> statement-breakpoint
CREATE INDEX "provisions_type_idx" ON "provisions" USING btree ("type","name","id");--> statement-breakpoint
CREATE UNIQUE INDEX "signing_keys_one_active" ON "signing_keys" USING btree ("status") WHERE "signing_keys"."status" = 'active';