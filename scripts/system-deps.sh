#!/usr/bin/env bash
# Installs the Debian packages a task needs, only those missing. Usage: system-deps.sh demo|test|test-clients
# demo: a Python that can make virtual environments.
# test: also Debian's chromium (browser tests), a CJK font (else screenshots show boxes),
#       nginx and wrk (serving benchmark and nginx test), PostgreSQL and Redis (scale tests),
#       systemd (systemd-analyze verify checks the units `huiwen deploy-files` writes),
#       and test-clients' packages.
# test-clients: node, npm and a Java runtime, for the outside clients in package.json.
set -euo pipefail
need=()
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if [ "${1:-demo}" = test ] || [ "${1:-demo}" = test-clients ]; then
  # The outside clients the tests run (package.json): node and npm to install them, a Java
  # runtime for the Nu HTML checker (vnu.jar). A node/npm already on PATH is used as it is.
  command -v node >/dev/null || need+=(nodejs)
  command -v npm >/dev/null || need+=(npm)
  command -v java >/dev/null || need+=(default-jre-headless)
fi
if [ "${1:-demo}" = test ]; then
  for package in chromium fonts-wqy-microhei nginx-light wrk postgresql redis-server systemd; do
    installed "$package" || need+=("$package")
  done
fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${need[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
