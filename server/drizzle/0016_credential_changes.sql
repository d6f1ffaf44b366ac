-- Every hub process keeps verified tokens and clients' standings in memory (server/src/auth/credential-cache.ts).
-- A change to what a token's standing rests on — a client's status, role or authority, an authority's
-- status — is announced on the channel ccx_credentials when its transaction commits, whichever process
-- or tool made it, so every process forgets what it knew at once.
CREATE OR REPLACE FUNCTION ccx_credentials_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('ccx_credentials', TG_TABLE_NAME || ':' || COALESCE(NEW.id, OLD.id)::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER clients_credentials_changed AFTER UPDATE OF status, role, authority_id ON clients
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.role IS DISTINCT FROM NEW.role
    OR OLD.authority_id IS DISTINCT FROM NEW.authority_id)
  EXECUTE FUNCTION ccx_credentials_changed();
--> statement-breakpoint
CREATE TRIGGER clients_credentials_removed AFTER DELETE ON clients
  FOR EACH ROW EXECUTE FUNCTION ccx_credentials_changed();
--> statement-breakpoint
CREATE TRIGGER authorities_credentials_changed AFTER UPDATE OF status ON authorities
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION ccx_credentials_changed();
--> statement-breakpoint
CREATE TRIGGER authorities_credentials_removed AFTER DELETE ON authorities
  FOR EACH ROW EXECUTE FUNCTION ccx_credentials_changed();
