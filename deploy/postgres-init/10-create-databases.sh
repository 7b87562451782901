#!/usr/bin/env bash
# Creates the roles and databases of the Doudi topology:
#   temporal  owns temporal + temporal_visibility  (Temporal persistence and visibility stores)
#   doudi     owns doudi                            (application data: `npm run migrate` creates the tables)
#   doudi_app logs in to doudi                      (api and workers: no UPDATE/DELETE on the audit log; migrate grants)
#
# In docker-compose.yml this runs once, from /docker-entrypoint-initdb.d, when the postgres-data volume is first
# initialised (an existing volume is left alone). It is idempotent, so on a bare PostgreSQL run it as a superuser:
#   TEMPORAL_DB_PASSWORD=... DOUDI_DB_PASSWORD=... DOUDI_APP_DB_PASSWORD=... POSTGRES_USER=postgres bash deploy/postgres-init/10-create-databases.sh
# Each role owns its databases so it can create tables in the public schema (PostgreSQL 15+ no longer lets every role
# do that) and so Temporal's schema tool can `CREATE EXTENSION btree_gin` (a trusted extension) in temporal_visibility.
# The roles get no CREATEDB: that is why the temporal service runs auto-setup with SKIP_DB_CREATE=true.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  --set=temporal_pw="${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD is not set}" \
  --set=doudi_pw="${DOUDI_DB_PASSWORD:?DOUDI_DB_PASSWORD is not set}" \
  --set=doudi_app_pw="${DOUDI_APP_DB_PASSWORD:?DOUDI_APP_DB_PASSWORD is not set}" <<'SQL'
SELECT format('CREATE ROLE temporal LOGIN PASSWORD %L', :'temporal_pw')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'temporal') \gexec
SELECT format('CREATE ROLE doudi LOGIN PASSWORD %L', :'doudi_pw')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'doudi') \gexec
SELECT format('CREATE ROLE doudi_app LOGIN PASSWORD %L NOSUPERUSER NOCREATEDB NOCREATEROLE', :'doudi_app_pw')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'doudi_app') \gexec

SELECT 'CREATE DATABASE temporal OWNER temporal'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'temporal') \gexec
SELECT 'CREATE DATABASE temporal_visibility OWNER temporal'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'temporal_visibility') \gexec
SELECT 'CREATE DATABASE doudi OWNER doudi'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'doudi') \gexec
SQL
