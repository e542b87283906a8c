#!/usr/bin/env bash
# Shared by hack/*.sh: make sure Java 17+ and Maven are there on a fresh Debian machine.

ensure_java_and_maven() {
  local need=()
  command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || need+=(maven)
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "missing: ${need[*]} (install them, or run as root to let this script apt-get them)" >&2
      exit 1
    fi
    echo "== installing ${need[*]}"
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
  fi
}
