#!/usr/bin/env bash
# Installs the Debian 12 packages fastchat-cpp builds and runs with. Idempotent: does nothing
# when everything is present. libopenblas0-openmp matters: without it libtorch falls back to the
# reference BLAS, more than ten times slower.
set -euo pipefail

packages=(
  cmake ninja-build ccache g++ pkg-config python3
  # NumPy for Debian's python3: the independent float64 model references of the tests
  # (tests/reference/hf_reference.py).
  python3-numpy
  libboost1.81-dev nlohmann-json3-dev libspdlog-dev libcli11-dev
  libgtest-dev libgmock-dev
  # Eigen (headers only): the dense LDLT solves of the leaderboard's Bradley-Terry fit (src/rating).
  libeigen3-dev
  # clang with libFuzzer and the sanitizer runtimes, for the fuzz targets (scripts/fuzz.sh).
  clang libclang-rt-14-dev
  libtorch-dev libsentencepiece-dev libpcre2-dev libicu-dev libopenblas0-openmp
  # Tests of the deployment files and clients (tests/clients): curl for HTTP checks, shellcheck
  # for the shell scripts, docker-compose (v1) to validate docker/docker-compose.yml offline.
  curl shellcheck docker-compose
  # promtool, to check the /metrics pages in the tests. Debian ships it only inside the
  # Prometheus server package; the server itself is not wanted (see the end of this script).
  prometheus
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm for the OpenAI SDK client test (tests/clients). Machines that already have Node
# (e.g. Node 20 from NodeSource, whose nodejs package bundles npm and conflicts with Debian's npm)
# are left alone: only a missing command is installed from Debian.
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
elif ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
# On a host booted with systemd, installing the package also starts a Prometheus server on port
# 9090 (containers with a policy-rc.d denying starts are spared). Only promtool is wanted, so a
# server that this run just installed is stopped and disabled.
if [[ " ${missing[*]} " == *" prometheus "* ]] && [ -d /run/systemd/system ] &&
  command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now prometheus.service >/dev/null 2>&1 || true
fi
