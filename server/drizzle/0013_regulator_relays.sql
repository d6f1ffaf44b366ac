CREATE TABLE "restriction_relays" (
	"restriction_id" uuid NOT NULL,
	"authority_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"by" text,
	CONSTRAINT "restriction_relays_restriction_id_authority_id_pk" PRIMARY KEY("restriction_id","authority_id")
);
--> statement-breakpoint
ALTER TABLE "restrictions" ADD COLUMN "lifted_by_authority_id" text;--> statement-breakpoint
ALTER TABLE "restriction_relays" ADD CONSTRAINT "restriction_relays_restriction_id_restrictions_id_fk" FOREIGN KEY ("restriction_id") REFERENCES "public"."restrictions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restriction_relays" ADD CONSTRAINT "restriction_relays_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "restriction_relays_authority_idx" ON "restriction_relays" USING btree ("authority_id");--> statement-breakpoint
ALTER TABLE "restrictions" ADD CONSTRAINT "restrictions_lifted_by_authority_id_authorities_id_fk" FOREIGN KEY ("lifted_by_authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "restrictions_regulator_notice_uq" ON "restrictions" USING btree ("regulator_reference",coalesce("provision_id", "provider_id")) WHERE "restrictions"."source" = 'regulator' and "restrictions"."lifted_on" is null;--> statement-breakpoint
INSERT INTO "restriction_relays" ("restriction_id", "authority_id", "at", "by") SELECT "id", "issuer_authority_id", "created_at", "created_by" FROM "restrictions" WHERE "source" = 'regulator';
