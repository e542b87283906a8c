#!/usr/bin/env bash
# Shared by hack/*.sh and bench/run.sh.

# Makes sure Java 17+ and Maven are there on a fresh Debian machine (apt, as root or with sudo).

ensure_java_and_maven() {
  local need=()
  command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])' \
    || need+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || need+=(maven)
  [ ${#need[@]} -gt 0 ] || return 0
  apt_install "${need[@]}"
}

# For each COMMAND:PACKAGE argument, installs the Debian package when the command is missing
# (the real servers and tools the tests start or run: tinyproxy, postfix, node).
ensure_commands() {
  local need=() pair
  for pair in "$@"; do
    PATH=$PATH:/usr/sbin:/sbin command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
  done
  [ ${#need[@]} -gt 0 ] || return 0
  apt_install "${need[@]}"
}

# apt-get install, as root or through sudo.
apt_install() {
  local sudo=
  if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "missing: $* (install them, or run as root or with sudo to let this script apt-get them)" >&2
      exit 1
    fi
    sudo=sudo
  fi
  echo "== installing $* (apt)" >&2
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# Starts the kube-apiserver + etcd of hack/kube-apiserver/up.sh unless one already runs (then it
# is reused and left running); at exit stops it again only if it was started here, and wipes its
# etcd data only if that was created here. Needs ROOT, LAB and the caller's `step`; $1 is added to
# the last line printed at exit. Exports KUBECONFIG.
with_kube_apiserver() {
  KUBE_LAB_EXIT_NOTE=${1:-}
  KUBE_LAB_STARTED=; KUBE_LAB_WIPE=
  if kube_lab_alive apiserver && kube_lab_alive etcd; then
    step "kube-apiserver already running ($LAB): reusing it, leaving it running"
  else
    [ -d "$LAB/etcd-data" ] || KUBE_LAB_WIPE=--wipe
    KUBE_LAB_STARTED=1
    step "starting kube-apiserver (hack/kube-apiserver/up.sh, LAB=$LAB)"
  fi
  trap kube_lab_cleanup EXIT
  "$ROOT/hack/kube-apiserver/up.sh" >&2
  export KUBECONFIG=$LAB/kubeconfig
}

kube_lab_alive() { [ -f "$LAB/run/$1.pid" ] && kill -0 "$(cat "$LAB/run/$1.pid")" 2>/dev/null; }

kube_lab_cleanup() {
  local rc=$?
  if [ -n "$KUBE_LAB_STARTED" ]; then
    step "stopping the kube-apiserver this script started ${KUBE_LAB_WIPE:+(and wiping its etcd data)}"
    "$ROOT/hack/kube-apiserver/down.sh" $KUBE_LAB_WIPE || true
  fi
  step "done: exit $rc${KUBE_LAB_EXIT_NOTE:+ ($KUBE_LAB_EXIT_NOTE)}"
}
