#!/usr/bin/env bash
# Offline checks of docker/ (no Docker engine is needed, and none is used):
#  1. docker-compose (v1, Debian's package; scripts/install_deps.sh installs it) accepts
#     docker/docker-compose.yml (`config -q`), and the resolved file has the three services
#     wired as documented (commands, healthchecks on /health, depends_on service_healthy,
#     the read-only model volume, port 8000 published).
#  2. docker/Dockerfile passes dockerfile-utils lint (npm, tests/clients/package.json) and has a
#     Debian 12 build stage, a debian:12-slim runtime stage, a non-root USER and EXPOSE 8000.
#  3. The build stage installs the build packages of scripts/install_deps.sh.
#  4. The runtime stage's packages cover every shared library the built binaries load: each
#     library ldd resolves here belongs to a package in the apt dependency closure of that list.
# A missing tool is a failure, not a skip.
# Usage: docker_test.sh CONTROLLER WORKER SERVER SENTENCEPIECE_SHIM
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binaries=("$@")
[ "${#binaries[@]}" -eq 4 ] || { echo "usage: $0 CONTROLLER WORKER SERVER SHIM" >&2; exit 2; }
dockerfile="$root/docker/Dockerfile"
compose="$root/docker/docker-compose.yml"
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# ---- 1. compose file ----------------------------------------------------------------------------
if ! command -v docker-compose >/dev/null; then
  bad "docker-compose not found (scripts/install_deps.sh installs Debian's docker-compose)"
  exit 1
fi
if docker-compose -f "$compose" config -q; then
  ok "docker-compose config -q accepts docker/docker-compose.yml ($(docker-compose version --short))"
else
  bad "docker-compose config -q rejects docker/docker-compose.yml"
fi
resolved=$(docker-compose -f "$compose" config)
# docker-compose (v1) is a Python program and depends on python3-yaml: read the result with it.
if /usr/bin/python3 - "$resolved" <<'EOF'; then ok "compose services wired as documented"; else bad "compose services"; fi
import sys, yaml
c = yaml.safe_load(sys.argv[1])
s = c["services"]
errors = []
def expect(cond, what):
    if not cond:
        errors.append(what)
expect(set(s) == {"controller", "worker", "server"}, f"services are controller, worker, server: {sorted(s)}")
ports = {"controller": 21001, "worker": 21002, "server": 8000}
for name, port in ports.items():
    svc = s.get(name, {})
    cmd = svc.get("command", [])
    expect(cmd and cmd[0] == f"fastchat-{name}", f"{name}: command runs fastchat-{name}: {cmd}")
    expect("--host=0.0.0.0" in cmd, f"{name}: listens on 0.0.0.0")
    expect(f"--port={port}" in cmd, f"{name}: port {port}")
    test = svc.get("healthcheck", {}).get("test", [])
    expect(test[:2] == ["CMD", "curl"] and test[-1] == f"http://127.0.0.1:{port}/health",
           f"{name}: healthcheck curls /health on {port}: {test}")
    expect(svc.get("image") == "fastchat-cpp:local", f"{name}: image fastchat-cpp:local")
    expect(svc.get("build", {}).get("dockerfile") == "docker/Dockerfile", f"{name}: built from docker/Dockerfile")
ctl = s["controller"]["command"]
expect("--allowed-worker-hosts=worker" in ctl, "controller allows the worker host name")
w = s["worker"]
expect("--worker-address=http://worker:21002" in w["command"], "worker advertises http://worker:21002")
expect("--controller-address=http://controller:21001" in w["command"], "worker finds the controller")
expect("--model-path=/models/stories260K" in w["command"], "worker model path")
expect(w.get("depends_on", {}).get("controller", {}).get("condition") == "service_healthy",
       "worker waits for a healthy controller")
vols = w.get("volumes", [])
expect(len(vols) == 1 and vols[0].get("read_only") is True and vols[0]["target"] == "/models/stories260K"
       and vols[0]["source"].endswith("/models/stories260K"), f"read-only model volume: {vols}")
srv = s["server"]
expect("--controller-address=http://controller:21001" in srv["command"], "server finds the controller")
deps = srv.get("depends_on", {})
expect(all(deps.get(d, {}).get("condition") == "service_healthy" for d in ("controller", "worker")),
       f"server waits for healthy controller and worker: {deps}")
expect(any(str(p).startswith("127.0.0.1:8000:8000") for p in srv.get("ports", [])),
       f"server publishes 8000: {srv.get('ports')}")
for e in errors:
    print("  " + e)
sys.exit(1 if errors else 0)
EOF
# An unknown key must be rejected, or the check above proves little.
broken=$(mktemp "${TMPDIR:-/tmp}/compose.XXXXXX.yml")
trap 'rm -f "$broken"' EXIT
sed 's/^  worker:$/  worker:\n    bogus_key: 1/' "$compose" >"$broken"
if docker-compose -f "$broken" config -q 2>/dev/null; then
  bad "docker-compose config accepted an unknown key (the validation is not effective)"
else
  ok "docker-compose config rejects an unknown key"
fi

# ---- 2. Dockerfile lint and shape ---------------------------------------------------------------
bash "$here/npm_ci.sh"
if (cd "$here" && node_modules/.bin/dockerfile-utils lint "$dockerfile"); then
  ok "dockerfile-utils lint docker/Dockerfile"
else
  bad "dockerfile-utils lint docker/Dockerfile"
fi
expect_line() {  # PATTERN WHAT: passes when the Dockerfile has a line matching PATTERN
  if grep -q "$1" "$dockerfile"; then ok "$2"; else bad "$2"; fi
}
expect_line '^FROM debian:12 AS build$' "build stage FROM debian:12"
expect_line '^FROM debian:12-slim AS runtime$' "runtime stage FROM debian:12-slim"
last_user=$(sed -n 's/^USER[[:space:]]\{1,\}\([^[:space:]]*\).*$/\1/p' "$dockerfile" | tail -n 1)
case "$last_user" in
  "" | root | 0 | 0:*) bad "the image runs as root (USER: '${last_user}')" ;;
  *) ok "the image runs as $last_user" ;;
esac
expect_line '^EXPOSE .*\b8000\b' "EXPOSE 8000"
expect_line 'FASTCHAT_BUILD_TESTS=OFF' "tests off in the image build (FASTCHAT_BUILD_TESTS=OFF)"
expect_line '^COPY --from=build .*/opt/fastchat/bin/$' "runtime copies the binaries and the shim to /opt/fastchat/bin"

# ---- 3. build packages match scripts/install_deps.sh --------------------------------------------
# Packages of install_deps.sh the image does not need to build the programs.
not_for_image="ccache libgtest-dev libgmock-dev docker-compose curl shellcheck nodejs npm prometheus clang libclang-rt-14-dev python3-numpy"
stage_packages() {  # STAGE: the packages of the stage's apt-get install lines
  awk -v stage="$1" '
    /^FROM / { in_stage = ($NF == stage) }
    in_stage && /apt-get install/ { grab = 1 }
    in_stage && grab { line = $0; gsub(/\\$/, "", line); print line; if ($0 !~ /\\$/) grab = 0 }' \
    "$dockerfile" | tr ' ' '\n' | grep -E '^[a-z0-9][a-z0-9.+-]+$' |
    grep -vxE 'apt-get|install|rm|-rf|&&' | sort -u
}
deps_packages=$(sed -n '/^packages=(/,/^)/p' "$root/scripts/install_deps.sh" | sed '1d;$d;s/#.*//' | tr ' ' '\n' |
  grep -v '^$' | sort -u)
missing_in_image=$(comm -23 <(echo "$deps_packages") <(stage_packages build) |
  grep -vxF -f <(tr ' ' '\n' <<<"$not_for_image") || true)
extra_in_image=$(comm -13 <(echo "$deps_packages") <(stage_packages build) || true)
if [ -z "$missing_in_image" ] && [ -z "$extra_in_image" ]; then
  ok "build stage installs install_deps.sh's build packages ($(stage_packages build | wc -l))"
else
  bad "build stage packages differ from install_deps.sh: missing [${missing_in_image//$'\n'/ }]" \
    "extra [${extra_in_image//$'\n'/ }]"
fi

# ---- 4. runtime packages provide every library the binaries load --------------------------------
runtime=$(stage_packages runtime)
[ -n "$runtime" ] || bad "no runtime packages found in the Dockerfile"
# shellcheck disable=SC2086  # one package per word
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances $runtime 2>/dev/null | grep -v '^[ <]' | sort -u)
uncovered=()
declare -A lib_users=()
for binary in "${binaries[@]}"; do
  [ -e "$binary" ] || { bad "no such binary: $binary"; continue; }
  if ldd "$binary" | grep -q 'not found'; then bad "ldd $binary: a library is not found here"; fi
  while read -r lib; do
    lib_users[$lib]+="$(basename "$binary") "
  done < <(ldd "$binary" | awk '$3 ~ /^\// { print $3 }')
done
# One dpkg -S call for every library (it reads the whole database each time). usrmerge: a
# library ldd finds under /lib is owned as /usr/lib, or as the file its symlink points to.
declare -A owner=()
candidates=()
for lib in "${!lib_users[@]}"; do candidates+=("$lib" "$(readlink -f "$lib")" "/usr$lib"); done
while IFS= read -r line; do
  owner[${line#*: }]=${line%%:*}
done < <(dpkg -S "${candidates[@]}" 2>/dev/null | grep -v '^diversion' || true)
for lib in "${!lib_users[@]}"; do
  pkg=${owner[$lib]:-${owner[$(readlink -f "$lib")]:-${owner[/usr$lib]:-}}}
  if [ -z "$pkg" ] || ! grep -qxF "$pkg" <<<"$closure"; then
    uncovered+=("${pkg:-no package} ($lib, ${lib_users[$lib]% })")
  fi
done
libs=${#lib_users[@]}
if [ "${#uncovered[@]}" -eq 0 ]; then
  ok "runtime packages ($(wc -w <<<"$runtime") listed, $(wc -l <<<"$closure") with dependencies) provide all $libs libraries the binaries load"
else
  bad "runtime stage lacks the packages of: $(printf '%s; ' "${uncovered[@]}")"
fi

exit "$fail"
