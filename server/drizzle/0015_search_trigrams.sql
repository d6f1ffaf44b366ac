-- Trigram indexes serve the directory's name searches (name ILIKE '%fragment%', fragments of three
-- characters or more). pg_trgm ships with PostgreSQL and is a trusted extension, so the schema's owner
-- may create it; where it cannot (not installed, not allowed) the indexes are left out and name
-- searches scan the table instead (docs/operations.md says what an operator can do then).
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN insufficient_privilege OR feature_not_supported OR undefined_file THEN
  RAISE WARNING 'pg_trgm could not be created (%): name searches will scan the table', SQLERRM;
END $$;
--> statement-breakpoint
-- The operator class is named with the extension's schema, which need not be on the search path.
DO $$
DECLARE
  ops text;
BEGIN
  SELECT format('%I.gin_trgm_ops', n.nspname) INTO ops
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
  IF ops IS NOT NULL THEN
    EXECUTE format('CREATE INDEX IF NOT EXISTS "providers_name_trgm_idx" ON "providers" USING gin ("name" %s)', ops);
    EXECUTE format('CREATE INDEX IF NOT EXISTS "provisions_name_trgm_idx" ON "provisions" USING gin ("name" %s)', ops);
  END IF;
END $$;
