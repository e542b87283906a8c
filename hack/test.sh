#!/usr/bin/env bash
# The whole test suite from a fresh clone: unit and mock-server tests (mvn verify).
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh
ensure_java_and_maven
mvn -B verify
