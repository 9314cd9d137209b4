# The support bot as a container image: `docker build -t support-bot .`
# Two stages: dependencies are installed in the first (the lock file decides, dev tools left out),
# the second holds only Node, those dependencies and the bot's own files, and runs as `node`.

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json manifest.json ./
COPY bin ./bin
COPY src ./src
COPY config ./config
COPY intents ./intents
COPY knowledge ./knowledge
RUN mkdir -p /data && chown node:node /data
USER node
# Conversations and tickets (embedded store), or the spool for Redis outages: each replica its own.
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains: /readyz turns 503, turns and deliveries in flight finish, then the process exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/main.ts"]
