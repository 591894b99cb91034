#!/usr/bin/env bash
# Install a Java runtime for the Spark engine and its tests (Debian's openjdk-17-jre-headless).
# Idempotent: does nothing when java is already on PATH. Needs root (CI runs as root).
set -euo pipefail
if command -v java >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install_java.sh: java is missing; install a Java 17+ runtime (e.g. apt-get install openjdk-17-jre-headless)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
java -version
