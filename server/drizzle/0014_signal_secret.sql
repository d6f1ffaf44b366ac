CREATE TABLE "hub_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- The key of the opaque signal ids, made once here (gen_random_uuid draws on the server's strong random source): 244 random bits.
INSERT INTO "hub_secrets" ("name", "secret") VALUES ('signal', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')) ON CONFLICT DO NOTHING;
