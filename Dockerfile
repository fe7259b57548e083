# The hub as a container, built from source: docker compose build (or docker build .).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
COPY hawtio hawtio
RUN ./mvnw -B -q -DskipTests package

# The jar plus the files it reads from its working directory (routes, connectors, config).
FROM eclipse-temurin:17-jre
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 hub && mkdir -p /app/data && chown hub /app/data
COPY --from=build /src/target/retention-hub.jar /app/retention-hub.jar
COPY routes /app/routes
COPY connectors /app/connectors
COPY examples /app/examples
COPY config /app/config
USER hub
EXPOSE 8080
# An OutOfMemoryError leaves a JVM half-working: exit, and let the restart policy bring up a sound one.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/retention-hub.jar"]
