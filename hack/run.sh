#!/usr/bin/env bash
# Builds target/herald.jar when the sources are newer, then runs it with the given arguments.
# No arguments: against the configured cluster, or the embedded demo when none is configured.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh
ensure_java_and_maven
if [ ! -f target/herald.jar ] || [ -n "$(find src crds pom.xml -newer target/herald.jar -print -quit)" ]; then
  echo "== building target/herald.jar"
  mvn -B -q package -DskipTests
fi
# the JVM options of the chart and the image (helm/herald/values.yaml says why each)
exec java -XX:+UseSerialGC -XX:MaxRAMPercentage=50.0 -XX:ReservedCodeCacheSize=64m -jar target/herald.jar "$@"
