#!/usr/bin/env bash
# The whole test suite from a fresh clone, as CI runs it:
#  0. the format of every Java source (mvn spotless:check; mvn spotless:apply fixes it);
#  1. unit and mock-server tests (mvn verify);
#  2. the end-to-end suite against a real kube-apiserver + etcd on 127.0.0.1 (hack/e2e.sh; the
#     first run on a machine builds the API server from Debian's sources, about 5 minutes).
# HERALD_SKIP_E2E=1 runs only step 1.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh
ensure_java_and_maven
# the forward-proxy tests start a real tinyproxy (dev.herald.testing.Tinyproxy), the v1a
# signature tests run Node's crypto.verify when node is there
ensure_commands tinyproxy:tinyproxy node:nodejs
mvn -B spotless:check
mvn -B verify
if [ "${HERALD_SKIP_E2E:-0}" != 1 ]; then
  ./hack/e2e.sh
fi
