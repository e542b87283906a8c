# The Herald operator image. Build the jar first, then the image:
#   mvn -B package -DskipTests && docker build -t herald:0.1.0 .
# distroless Java 17 runtime: no shell, no package manager; ":nonroot" runs as uid/gid 65532.
FROM gcr.io/distroless/java17-debian12:nonroot

WORKDIR /app
COPY --chown=65532:65532 target/herald.jar /app/herald.jar

# numeric, so the kubelet can check runAsNonRoot without reading /etc/passwd
USER 65532:65532
# the health port (/healthz, /readyz); HERALD_HEALTH_PORT changes it
EXPOSE 8080

# the chart's javaOptions (which replace this when set): sized for a 512Mi memory limit (README,
# Capacity; helm/herald/values.yaml says why each)
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:MaxRAMPercentage=50.0 -XX:ReservedCodeCacheSize=64m"
ENTRYPOINT ["java", "-jar", "/app/herald.jar", "run"]
