#!/usr/bin/env bash
# Installs the Debian 12 packages fastchat-cpp builds and runs with. Idempotent: does nothing
# when everything is present. libopenblas0-openmp matters: without it libtorch falls back to the
# reference BLAS, more than ten times slower.
set -euo pipefail

packages=(
  cmake ninja-build ccache g++ pkg-config python3
  libboost1.81-dev nlohmann-json3-dev libspdlog-dev libcli11-dev
  libgtest-dev libgmock-dev
  libtorch-dev libsentencepiece-dev libpcre2-dev libicu-dev libopenblas0-openmp
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
