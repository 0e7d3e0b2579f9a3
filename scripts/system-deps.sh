#!/usr/bin/env bash
# Installs the Debian packages a task needs, only those missing. Usage: system-deps.sh demo|test
# demo: a Python that can make virtual environments.
# test: also Debian's chromium (browser tests), a CJK font (else screenshots show boxes),
#       nginx and wrk (serving benchmark and nginx test), PostgreSQL and Redis (scale tests).
set -euo pipefail
need=()
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
if [ "${1:-demo}" = test ]; then
  for package in chromium fonts-wqy-microhei nginx-light wrk postgresql redis-server; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || need+=("$package")
  done
fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${need[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
