-- The two roles of a Cocreate database (README: Using an external PostgreSQL):
-- the owner (POSTGRES_USER) migrates; the server logs in as cocreate_server,
-- a member of cocreate_app only, which cannot rewrite the ledger. Migration
-- 0008 grants cocreate_app its rights; it finds the role already here.
CREATE ROLE cocreate_app NOLOGIN;
GRANT cocreate_app TO cocreate;
CREATE ROLE cocreate_server LOGIN PASSWORD 'cocreate-server' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS IN ROLE cocreate_app;
