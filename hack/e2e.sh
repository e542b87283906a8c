#!/usr/bin/env bash
# End-to-end suite against a real kube-apiserver: the operator jar, kubectl and receivers on 127.0.0.1.
#
#   hack/e2e.sh                      # as root on a fresh Debian bookworm, or on a machine with the kube-lab already up
#
# 1. installs what is missing (JDK 17, Maven, Postfix for DigestMtaE2E, Node for the v1a signature checks) with apt;
# 2. starts the kube-apiserver + etcd of hack/kube-apiserver/up.sh unless one is already running
#    (first run builds it from Debian's source package: ~5 min on 2 cores; later ~7 s);
# 3. runs `mvn -B -Pe2e verify`: packages target/herald.jar, then failsafe runs the *E2E classes;
# 4. stops the API server again only if this script started it (and wipes its etcd data only if
#    this script created it). Safe to run again: every test class uses a namespace of its own.
#
# Environment: LAB (default ~/.cache/kube-lab), API_PORT, ETCD_PORT (see hack/kube-apiserver/up.sh);
# HERALD_E2E_UNIT=1 also runs the unit tests in the same Maven run (default: only the *E2E classes);
# HERALD_E2E_RBAC=<file> RBAC YAML for RbacE2E (default: the RBAC helm/herald renders);
# MAVEN_ARGS extra Maven arguments, e.g. "-Dit.test=DeliveryE2E".
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh
ROOT=$PWD
export LAB=${LAB:-$HOME/.cache/kube-lab}
T0=$(date +%s)
step() { echo "== [e2e $(( $(date +%s) - T0 ))s] $*"; }

# ---------- 1. tools ----------
step "checking for JDK 17+ and Maven, and what the tests start or run (Postfix, Node, tinyproxy)"
ensure_java_and_maven
ensure_commands postfix:postfix node:nodejs tinyproxy:tinyproxy

# ---------- 2. API server ----------
with_kube_apiserver "operator logs and failure dumps in target/e2e/"
step "API server: $(kubectl version -o json 2>/dev/null | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -1) at $(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}' 2>/dev/null)"

# ---------- 3. the suite ----------
args=(-B -Pe2e verify)
[ "${HERALD_E2E_UNIT:-0}" = 1 ] || args+=(-DskipUTs=true)
[ -z "${HERALD_E2E_RBAC:-}" ] || args+=("-Dherald.e2e.rbac=$(realpath "$HERALD_E2E_RBAC")")
step "mvn ${args[*]} ${MAVEN_ARGS:-} (packages target/herald.jar, then runs *E2E)"
# shellcheck disable=SC2086
mvn "${args[@]}" ${MAVEN_ARGS:-}
step "end-to-end suite passed"
