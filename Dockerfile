# The support bot as a container image: `docker build -t support-bot .`
# Two stages: the first installs the dependencies (the lock file decides, dev tools left out),
# bundles the code and trains the matcher index; the second holds only Node, those, and the bot's
# own files, and runs as `node`.

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV DATA_DIR=/data
COPY package.json package-lock.json manifest.json ./
COPY bin ./bin
COPY src ./src
COPY config ./config
COPY intents ./intents
COPY knowledge ./knowledge
# npm's prepare step bundles the CLI into dist/ and trains the matcher index into DATA_DIR.
RUN mkdir -p /data && npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/dist ./dist
COPY --from=deps --chown=node:node /data /data
COPY package.json manifest.json ./
COPY bin ./bin
COPY src ./src
COPY config ./config
COPY intents ./intents
COPY knowledge ./knowledge
USER node
# Conversations and tickets (embedded store), or the spool for Redis outages: each replica its own.
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains: /readyz turns 503, turns and deliveries in flight finish, then the process exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "bin/support-bot.js", "start"]
