# The hub as a container: the jar plus the files it reads from its working directory.
# Build the jar first: ./mvnw -B -DskipTests package
FROM eclipse-temurin:17-jre
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 hub && mkdir -p /app/data && chown hub /app/data
COPY target/retention-hub.jar /app/retention-hub.jar
COPY routes /app/routes
COPY connectors /app/connectors
COPY config /app/config
USER hub
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-jar", "/app/retention-hub.jar"]
