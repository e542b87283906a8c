#!/usr/bin/env bash
# Herald's benchmark against a real kube-apiserver, in one command. See bench/README.md.
#
#   bench/run.sh                                   # default sizes: a few minutes plus the history writes
#   bench/run.sh --deliveries 200 --endpoints 1,10 --history 0,1000 --runs 3
#   bench/run.sh --help                            # every flag
#
# 1. starts the kube-apiserver + etcd of hack/kube-apiserver/up.sh unless one is already running
#    (then it reuses it and leaves it running), and applies crds/ (kubectl apply) before the bench
#    lists anything, so a fresh API server works too;
# 2. builds target/herald.jar (mvn -B -q -DskipTests package);
# 3. runs dev.herald.bench.Bench (mvn -Pbench exec:exec) with the arguments given here: each scenario
#    in a namespace of its own, the operator jar as a process; the report goes to stdout and
#    target/bench/report.txt, operator logs to target/bench/;
# 4. stops the API server again only if this script started it (and wipes its etcd data only if
#    this script created it).
# Environment: LAB (default ~/.cache/kube-lab), API_PORT, ETCD_PORT (see hack/kube-apiserver/up.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh
ROOT=$PWD
export LAB=${LAB:-$HOME/.cache/kube-lab}
T0=$(date +%s)
step() { echo "== [bench $(( $(date +%s) - T0 ))s] $*" >&2; }

for a in "$@"; do
  case $a in
    *\"*) echo "bench/run.sh: arguments cannot contain double quotes: $a" >&2; exit 2 ;;
    -h|--help) HELP=1 ;;
  esac
done

if [ -z "${HELP:-}" ]; then
  with_kube_apiserver
  step "installing the CRDs (kubectl apply -f crds/)"
  kubectl apply -f crds/ >&2
  kubectl wait --for condition=established --timeout=60s -f crds/ >&2
fi

step "building target/herald.jar (mvn -B -q -DskipTests package)"
mvn -B -q -DskipTests package

# exec:exec splits its command line itself: each argument goes in double quotes
args=
for a in "$@"; do args+=" \"$a\""; done
step "running the bench (mvn -B -q -Pbench exec:exec)"
mvn -B -q -Pbench exec:exec "-Dbench.args=$args"
