# syntax=docker/dockerfile:1
# Multi-stage build of every Tiketi image; docker-compose.yml picks a stage with `target`.
#
#   rust-build  compiles the three binaries once (release, locked dependencies)
#   web-build   builds the React app (web/) with npm ci
#   api         tiketi-api + the built web app, served on one port
#   worker      tiketi-worker
#   sweeper     tiketi-sweeper
#
# Runtime images are Debian slim with CA certificates and curl (for the health checks),
# running as an unprivileged user.

FROM rust:1-bookworm AS rust-build
WORKDIR /src
# Queries are checked against the committed .sqlx/ data: no database at build time.
ENV SQLX_OFFLINE=true
# Dependencies first, so that editing our code does not rebuild them: a manifest-only
# workspace with empty crates, built once and cached as its own layer.
COPY Cargo.toml Cargo.lock ./
COPY core/Cargo.toml core/Cargo.toml
COPY api/Cargo.toml api/Cargo.toml
COPY worker/Cargo.toml worker/Cargo.toml
COPY sweeper/Cargo.toml sweeper/Cargo.toml
COPY testkit/Cargo.toml testkit/Cargo.toml
RUN for c in core api worker sweeper testkit; do mkdir -p $c/src && echo 'fn main() {}' > $c/src/main.rs && touch $c/src/lib.rs; done \
 && cargo build --release --locked --bins 2>/dev/null || true
COPY . .
# Make sure cargo sees our sources as newer than the placeholder build.
RUN find core api worker sweeper -name '*.rs' -exec touch {} + \
 && cargo build --release --locked --bins \
 && mkdir -p /out && cp target/release/tiketi-api target/release/tiketi-worker target/release/tiketi-sweeper /out/

FROM node:20-bookworm-slim AS web-build
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --no-create-home tiketi \
 && install -d -o tiketi -g tiketi /var/lib/tiketi/media
USER tiketi
ENV LOG_FORMAT=json RUST_LOG=info
STOPSIGNAL SIGTERM

FROM runtime AS api
COPY --from=rust-build /out/tiketi-api /usr/local/bin/tiketi-api
COPY --from=web-build /web/dist /srv/web
# Uploaded posters (MEDIA_STORE=local); a volume shared by every replica, or use s3.
ENV API_ADDR=0.0.0.0:3001 WEB_DIST=/srv/web MEDIA_DIR=/var/lib/tiketi/media
EXPOSE 3001 9100
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:3001/api/health || exit 1
CMD ["tiketi-api"]

FROM runtime AS worker
COPY --from=rust-build /out/tiketi-worker /usr/local/bin/tiketi-worker
EXPOSE 9100
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:9100/metrics -o /dev/null || exit 1
CMD ["tiketi-worker"]

FROM runtime AS sweeper
COPY --from=rust-build /out/tiketi-sweeper /usr/local/bin/tiketi-sweeper
EXPOSE 9100
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:9100/metrics -o /dev/null || exit 1
CMD ["tiketi-sweeper"]
