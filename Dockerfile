# One image for every role; docker-compose.yml picks the command (api, worker ingest, worker enrich).
# The runtime image holds no test fixtures: `regionradar demo` runs from a checkout (npm run demo).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 DATA_DIR=/data CONFIG_DIR=/app/config
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
# The non-root user owns /data, so a fresh volume mounted there takes the stores and the catalogue.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Every role: Redis and the store answer (the API's own /readyz says the same, from inside the process).
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 CMD ["node", "dist/src/cli.js", "ready"]
ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["start"]
