# syntax=docker/dockerfile:1
# Attest API / worker image. The same image runs both:
#   api:    npm start --ignore-scripts (default CMD; HTTP on $HOST:$PORT, 0.0.0.0:8080 here)
#   worker: npm run worker
# Configuration comes only from the environment (src/core/config.ts).

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
# npm ci installs exactly the lock. The lock made on the dev machines lacks the
# other-platform optional packages (@napi-rs/canvas-*, @rollup/rollup-*,
# @msgpackr-extract/*) that their registry does not serve, which npm ci rejects
# as "out of sync"; until the lock is regenerated against the full registry,
# fall back to npm install (same versions where the lock has them).
RUN npm ci \
 || { echo 'WARNING: npm ci rejected package-lock.json; falling back to npm install' >&2; npm install; }
COPY . .
# Nothing to compile today (tsx runs the TypeScript); a future "build" script
# (e.g. the UI bundle) runs here. Then drop the dev dependencies.
# The UI bundle is built here, while vite (a dev dependency) is still installed.
RUN npm run build:ui \
 && npm prune --omit=dev \
 && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/app/data \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
WORKDIR /app
# Code stays root-owned (read-only for the app); only DATA_DIR is writable.
COPY --from=build /app /app
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
# The slim image has no curl/wget: probe with Node's own fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# --ignore-scripts: the UI is already built; prestart would need the pruned vite.
CMD ["npm", "start", "--ignore-scripts"]
