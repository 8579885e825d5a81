# Build stage: compile and package the shaded jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
COPY config ./config
RUN mvn -B -q package -DskipTests

# Runtime stage: a JRE, the jar and the default config, running as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app tollgate
WORKDIR /app
COPY --from=build /src/target/tollgate.jar /app/tollgate.jar
COPY config /app/config
# Keys are state, not config: `keys new` and /admin/keys write them, so they live in the data
# volume (seeded with the shipped keys.yaml), where the unprivileged user may write and where
# they survive a rebuilt container.
RUN mkdir -p /app/data && cp /app/config/keys.yaml /app/data/keys.yaml && chown -R tollgate /app/data
USER tollgate
ENV TOLLGATE_DATA_DIR=/app/data TOLLGATE_KEYS_FILE=/app/data/keys.yaml
EXPOSE 8080 8081
# Ready = /readyz answers 200 (not draining, ledger writer alive). The jar asks it itself: the
# image need not have curl, and its /bin/sh (dash) has no /dev/tcp. Small heap, C1 only: every 10 s.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-Xmx32m", "-jar", "/app/tollgate.jar", "health", "--config", "/app/config/tollgate.yaml"]
# Size memory from the container's limit, not the host's: the heap gets 40%, and direct memory
# (Netty's buffers: request bodies, relayed chunks) is capped by the JVM at the heap's size, so the
# two (80%) plus the JVM's own overhead fit the container instead of 75% heap + 75% direct.
ENTRYPOINT ["java", "-XX:+UseContainerSupport", "-XX:MaxRAMPercentage=40", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/tollgate.jar"]
CMD ["serve", "--config", "/app/config/tollgate.yaml"]
