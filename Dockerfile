# Build stage: compile TypeScript with the dev dependencies.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY webhooks ./webhooks
COPY twiml ./twiml
COPY lua ./lua
COPY web ./web
RUN npm run build

# Runtime stage: production dependencies and the compiled server only.
FROM node:22-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY lua ./lua
COPY examples ./examples
# The embedded store's data (without REDIS_URL): mount a volume here to keep it beyond the container.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# The preload starts OpenTelemetry tracing when OTEL_EXPORTER_OTLP_ENDPOINT (or SWITCHBOARD_TRACING=on) is set, and
# does nothing otherwise (docs/operations-traces.md).
CMD ["node", "--enable-source-maps", "--import", "./dist/src/telemetry/preload.js", "dist/src/main.js"]
