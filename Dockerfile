# perch: build with the Rust toolchain, run on a slim Debian as a non-root user.
#
#   docker build -t perch .
#   docker run --rm -p 127.0.0.1:8080:8080 -e PERCH__FEDERATION__DEBUG=true -v perch-data:/data perch
#
# That is a local trial as localhost:8080: debug mode starts only with a loopback domain.
# For a real domain, leave debug off, set PERCH__SERVER__DOMAIN and run behind a TLS proxy
# (see README.md, "Docker").

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
# SQLite is bundled (libsqlite3-sys) and HTTP's TLS is rustls; PostgreSQL is reached through
# libpq, which the build links against and the image below carries.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev \
    && rm -rf /var/lib/apt/lists/*
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libpq5 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --user-group --home-dir /data --shell /usr/sbin/nologin perch \
    && mkdir -p /data /etc/perch \
    && chown perch:perch /data
COPY --from=build /src/target/release/perch /usr/local/bin/perch
# For reference only: the defaults are compiled into the binary. To use a file of your own,
# mount it and set PERCH_CONFIG to its path.
COPY config/default.toml /etc/perch/default.toml
ENV PERCH__SERVER__DATA_DIR=/data PERCH__SERVER__BIND=0.0.0.0:8080
USER perch
WORKDIR /data
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["perch"]
CMD ["serve"]
