# syntax=docker/dockerfile:1
#
# Mend in a container (the shape of Node's Docker best practices, nodejs/docker-node):
#   docker build -t mend .
#   docker run --env-file .env -v mend-data:/app/data mend
# or `docker compose up -d` for two bot processes (shards 0 and 1) with Redis (compose.yaml).
#
# Two stages: the builder has the compilers and dev dependencies, the runtime has neither.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS builder
WORKDIR /app

# A toolchain for native modules (sqlite3) in case no prebuilt binary can be downloaded; node-gyp
# uses the Node headers the image ships instead of downloading them.
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local \
    npm_config_update_notifier=false

# Dependencies first, so a change to the code does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY flows ./flows
RUN npx tsc -p tsconfig.build.json \
  && npm prune --omit=dev --no-audit --no-fund \
  && npm cache clean --force


FROM ${NODE_IMAGE} AS runtime

# tini as PID 1: forwards SIGTERM to node (graceful shutdown) and reaps zombies, whether or not
# the container is started with --init.
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    HTTP_PORT=8080
WORKDIR /app

# Code and dependencies belong to root and are read-only for the bot; only data/ is its own.
COPY --from=builder /app/package.json ./package.json
COPY --from=builder /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data

# The default store is the SQLite file sqlite://./data/mend.sqlite: keep it on a volume.
VOLUME ["/app/data"]
EXPOSE 8080
USER node

# No curl in the slim image: node asks /healthz itself. HTTP_PORT=0 turns the listener off, and
# then there is nothing to ask.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const p=process.env.HTTP_PORT||'8080';if(p==='0')process.exit(0);fetch('http://127.0.0.1:'+p+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
