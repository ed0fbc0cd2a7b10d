#!/usr/bin/env bash
# `npm run test:env`: sets up the real parts the integration and e2e suites run against, and
# writes what the tests need into test/.env.json (read by test/support/env.ts and
# scripts/runTests.mjs).
#
# Docker, code-server, Chromium and reflex come from Debian packages, the npm registry and the Go
# module proxy, and are installed here. KrakenD is only *found* (see its section below): a local
# image, a registry pull, a binary, or the Go module proxy. Heavy results are cached under
# ~/.cache/krakend-live, keyed by version, so a second run only checks.
#
# Prints one line per component: `ready`, `FAILED` (with the exact reason) or, for KrakenD, which
# is found and never installed, `MISSING` (with every source tried). Exits non-zero when a
# component failed; a missing KrakenD is not a failure: the tests that need it are reported as not
# run, with the reason.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HELPERS=$ROOT/scripts/testEnv
CACHE=${KRAKEND_LIVE_CACHE:-$HOME/.cache/krakend-live}
LOGS=$CACHE/logs
mkdir -p "$LOGS"

KRAKEND_VERSION=2.13.8
REFLEX_VERSION=v0.3.1
CODE_SERVER_VERSION=4.100.3
CODE_SERVER_NODE_MAJOR=20
APT_PACKAGES=(docker.io busybox-static chromium libkrb5-dev ripgrep curl docker-compose)
DOCKER_SOCK=/var/run/docker.sock
# Debian's client matches the daemon's API; another client on PATH may be newer than the daemon.
DOCKER=/usr/bin/docker
# KRAKEND_IMAGE names another image to find (the one krakend.gateway.image would name).
IMAGE_KRAKEND=${KRAKEND_IMAGE:-krakend:2.13}
IMAGE_WATCH=krakend:watch
IMAGE_TEST=krakend-live/busybox:test
OWNED_LABEL=dev.krakend-live.owned
CONTEXT_LABEL=dev.krakend-live.context
CHROMIUM=/usr/bin/chromium
# The user the ssh:// engine tests log in as (in the docker group, so `docker system dial-stdio` works).
SSH_USER=krakend-live-ssh

export GOPATH=$CACHE/go GOCACHE=$CACHE/gocache GOFLAGS=-buildvcs=false CGO_ENABLED=0

# One run at a time: several `npm test` runs may share this machine, and two runs must not build
# the same context or install code-server into the same folder at once.
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  echo "test-env: another run holds $CACHE/.lock; waiting for it (at most 15 min)"
  flock -w 900 9 || { echo "test-env: gave up waiting for $CACHE/.lock" >&2; exit 1; }
fi

STARTED=$(date +%s.%N)
RECORDS=$(mktemp)
trap 'rm -f "$RECORDS"' EXIT

# record <component> <ready|failed> <detail-or-reason> [key=value …]
# One tab-separated line per component; writeEnv.mjs turns them into test/.env.json.
record() {
  local component=$1 status=$2 text=${3//$'\t'/ }
  shift 3
  text=${text//$'\n'/; }
  printf '%s\t%s\t%s' "$component" "$status" "$text" >>"$RECORDS"
  local kv
  for kv in "$@"; do printf '\t%s' "$kv" >>"$RECORDS"; done
  printf '\n' >>"$RECORDS"
}

status_of() { awk -F'\t' -v c="$1" '$1 == c { s = $2 } END { print s }' "$RECORDS"; }
reason_of() { awk -F'\t' -v c="$1" '$1 == c { s = $3 } END { print s }' "$RECORDS"; }

# The first line of a log that says what went wrong, for a one-line FAILED reason.
key_line() {
  local log=$1 line
  line=$(grep -E '403|404|[Ee]rror|ERR!|fatal|denied|not found|cannot|failed' "$log" | grep -v '^npm warn' | tail -n 3 | tr '\n' ' ')
  [ -n "$line" ] || line=$(tail -n 2 "$log" | tr '\n' ' ')
  echo "${line% } (log: $log)"
}

docker_ping() { curl -sf --max-time 2 --unix-socket "$DOCKER_SOCK" http://localhost/_ping 2>/dev/null; }

# A cheap key for a build context's inputs (size and mtime of each file), so an unchanged context
# is not recreated on every run: recreating it costs hundreds of symlinks and a 100 MB copy.
inputs_key() { stat -L -c '%n %s %Y' "$@" 2>/dev/null | sha256sum | cut -c1-16; }

# A context hash stored as an image label: the image is rebuilt only when its inputs change.
context_hash() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }
image_hash() { "$DOCKER" image inspect -f "{{index .Config.Labels \"$CONTEXT_LABEL\"}}" "$1" 2>/dev/null; }

# build_image <context dir> <tag> [docker build flags…]: builds unless an image with this context hash exists.
# Prints "cached" or "built" on success.
build_image() {
  local ctx=$1 tag=$2 hash log
  shift 2
  hash=$(context_hash "$ctx")
  if [ "$(image_hash "$tag")" = "$hash" ]; then echo cached; return 0; fi
  log=$LOGS/image-${tag//[:\/]/-}.log
  if "$DOCKER" build --label "$OWNED_LABEL=true" --label "$CONTEXT_LABEL=$hash" -t "$tag" "$@" "$ctx" >"$log" 2>&1; then
    # The previous build of this tag is now dangling; remove it (ours only, by label).
    "$DOCKER" image prune -f --filter "label=$OWNED_LABEL=true" >>"$log" 2>&1
    echo built
  else
    key_line "$log"
    return 1
  fi
}

# rootfs_busybox <rootfs>: busybox-static plus one symlink per applet, so /bin/sh and friends exist.
rootfs_busybox() {
  local rootfs=$1 applet
  mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  chmod 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
}

# --- apt packages ---------------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  record apt ready "${APT_PACKAGES[*]} installed" "packages=${APT_PACKAGES[*]}"
elif [ "$(id -u)" != 0 ]; then
  record apt failed "missing ${missing[*]} and not root, so apt-get cannot install them"
else
  # apt-get update only when something is missing: it is the slow, network-bound part.
  if { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; } >>"$LOGS/apt.log" 2>&1; then
    record apt ready "installed ${missing[*]} (others were present)" "packages=${APT_PACKAGES[*]}"
  else
    record apt failed "apt-get install ${missing[*]}: $(key_line "$LOGS/apt.log")"
  fi
fi

# --- code-server (slow when cold: started now, in the background, collected at the end) ------
CS_DIR=$CACHE/code-server-$CODE_SERVER_VERSION
CS_ENTRY=$CS_DIR/node_modules/code-server/out/node/entry.js
CS_LOG=$LOGS/code-server.log
cs_pid=
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none)
if [ "$node_major" = "$CODE_SERVER_NODE_MAJOR" ] && ! [ -f "$CS_DIR/.ready" -a -f "$CS_ENTRY" ] \
  && command -v rg >/dev/null && [ -n "$(dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null)" ]; then
  bash "$HELPERS/codeServer.sh" "$CS_DIR" "$CODE_SERVER_VERSION" >"$CS_LOG" 2>&1 9>&- &
  cs_pid=$!
fi

# --- docker daemon --------------------------------------------------------------------------
if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST#unix://}" != "$DOCKER_HOST" ]; then DOCKER_SOCK=${DOCKER_HOST#unix://}; fi
started_by="already running"
# The daemon an earlier run of this script started is still ours (the soak restarts it).
[ -f /var/run/docker.pid ] && [ "$(cat /var/run/docker.pid 2>/dev/null)" = "$(cat "$CACHE/dockerd.pid" 2>/dev/null)" ] && started_by="test-env (an earlier run)"
dockerd_exited=
if [ "$(docker_ping)" != OK ]; then
  if [ "$DOCKER_SOCK" != /var/run/docker.sock ]; then
    record docker failed "no daemon answers GET /_ping on $DOCKER_SOCK (from DOCKER_HOST); dockerd is started only for /var/run/docker.sock"
  elif ! command -v dockerd >/dev/null; then
    record docker failed "no daemon answers on $DOCKER_SOCK and dockerd is not installed"
  else
    started_by=test-env
    # The default bridge and every network it hands out live in the benchmarking range
    # 198.18.0.0/15, never a private one; no iptables, so traffic reaches containers only
    # through ports docker-proxy publishes on 127.0.0.1.
    setsid dockerd --bip 198.19.255.1/24 --default-address-pool base=198.18.0.0/16,size=24 \
      --iptables=false --ip-masq=false >>"$LOGS/dockerd.log" 2>&1 </dev/null 9>&- &
    dockerd_pid=$!
    echo "$dockerd_pid" >"$CACHE/dockerd.pid"
    for _ in $(seq 1 300); do
      [ "$(docker_ping)" = OK ] && break
      kill -0 "$dockerd_pid" 2>/dev/null || { dockerd_exited=yes; break; }
      sleep 0.1
    done
  fi
fi
if [ -z "$(status_of docker)" ]; then
  if [ "$(docker_ping)" = OK ]; then
    version_json=$(curl -sf --max-time 5 --unix-socket "$DOCKER_SOCK" http://localhost/version)
    engine=$(node -p 'JSON.parse(process.argv[1]).Version' "$version_json")
    api=$(node -p 'JSON.parse(process.argv[1]).ApiVersion' "$version_json")
    record docker ready "engine $engine (API $api) on $DOCKER_SOCK, $started_by; test image $IMAGE_TEST" \
      "socket=$DOCKER_SOCK" "engineVersion=$engine" "apiVersion=$api" "startedBy=$started_by" "testImage=$IMAGE_TEST"
  elif [ -n "$dockerd_exited" ]; then
    record docker failed "dockerd exited at start: $(key_line "$LOGS/dockerd.log")"
  else
    record docker failed "dockerd did not answer GET /_ping on $DOCKER_SOCK within 30 s: $(key_line "$LOGS/dockerd.log")"
  fi
fi

# --- the small test image for the dockerode adapter tests -----------------------------------
if [ "$(status_of docker)" != ready ]; then
  record test-image failed "needs docker: $(reason_of docker)"
elif ! [ -x /bin/busybox ]; then
  record test-image failed "/bin/busybox is missing (Debian package busybox-static)"
else
  ctx=$CACHE/images/busybox-test
  key=$(inputs_key /bin/busybox "$HELPERS/busybox.Dockerfile")
  if [ "$(cat "$ctx/.inputs" 2>/dev/null)" != "$key" ]; then
    rm -rf "$ctx" && mkdir -p "$ctx"
    rootfs_busybox "$ctx/rootfs"
    cp "$HELPERS/busybox.Dockerfile" "$ctx/Dockerfile"
    echo "$key" >"$ctx/.inputs"
  fi
  if out=$(build_image "$ctx" "$IMAGE_TEST"); then
    record test-image ready "$IMAGE_TEST ($out, busybox $(/bin/busybox | head -n1 | awk '{print $2}'))" "image=$IMAGE_TEST"
  else
    record test-image failed "docker build $IMAGE_TEST: $out"
  fi
fi
# Docker tests need an image to run and none can be pulled, so docker counts as ready only with it.
if [ "$(status_of docker)" = ready ] && [ "$(status_of test-image)" != ready ]; then
  record docker failed "daemon answers but the test image is missing: $(reason_of test-image)"
fi

# --- docker compose: Debian's docker-compose, installed with the packages above ---------------------
# The compose tests stand in for a service of a real stack; without a compose they are not run.
if [ "$(status_of docker)" != ready ]; then
  record compose missing "needs docker: $(reason_of docker)"
elif compose_bin=$(command -v docker-compose) && compose_v=$("$compose_bin" version --short 2>/dev/null); then
  record compose ready "docker-compose $compose_v at $compose_bin" "binary=$compose_bin" "version=$compose_v"
else
  record compose missing "no docker-compose on PATH (Debian: apt-get install -y docker-compose)"
fi

# --- sshd and a user of its own, for the ssh:// engine tests ------------------------------------
# The tests start their own sshd (their own config and host key, a free port on 127.0.0.1) and
# stop it; this only installs OpenSSH's server and the user the engine is reached as.
# apt_quiet <log> <package…>: installs without starting the package's service (a policy-rc.d that
# says no, where none exists), so no system sshd or podman socket is left listening.
apt_quiet() {
  local log=$1 rc guard=
  shift
  [ "$(id -u)" = 0 ] || { echo "not root, so apt-get cannot install $*" >"$log"; return 1; }
  if ! [ -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && guard=yes; fi
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; } >"$log" 2>&1
  rc=$?
  [ -n "$guard" ] && rm -f /usr/sbin/policy-rc.d
  return $rc
}
[ -x /usr/sbin/sshd ] || apt_quiet "$LOGS/apt-sshd.log" openssh-server
if ! [ -x /usr/sbin/sshd ]; then
  record sshd missing "openssh-server is not installed and apt-get could not install it: $(key_line "$LOGS/apt-sshd.log")"
elif ! getent group docker >/dev/null; then
  record sshd missing "there is no docker group for the user $SSH_USER to reach /var/run/docker.sock through"
else
  id -u "$SSH_USER" >/dev/null 2>&1 || useradd --system --create-home --home-dir "/var/lib/$SSH_USER" --shell /bin/sh --groups docker "$SSH_USER" >>"$LOGS/sshd-user.log" 2>&1
  # OpenSSH refuses key logins to a locked account ("!") when PAM is off; "*" has no password and is not locked.
  usermod -p '*' "$SSH_USER" >>"$LOGS/sshd-user.log" 2>&1
  mkdir -p /run/sshd
  if id -nG "$SSH_USER" 2>/dev/null | grep -qw docker; then
    ssh_version=$(/usr/sbin/sshd -V 2>&1 | head -n1)
    ssh_version=${ssh_version%%,*}
    record sshd ready "/usr/sbin/sshd ($ssh_version), user $SSH_USER in the docker group" \
      "binary=/usr/sbin/sshd" "user=$SSH_USER" "version=$ssh_version"
  else
    record sshd missing "could not create the user $SSH_USER in the docker group: $(key_line "$LOGS/sshd-user.log")"
  fi
fi

# --- go binaries ----------------------------------------------------------------------------
# go_install <component> <bin dir> <binary name> <package@version> [go flags…]
go_install() {
  local component=$1 bindir=$2 name=$3 pkg=$4 log
  shift 4
  log=$LOGS/go-$component.log
  if ! command -v go >/dev/null; then echo "go is not installed"; return 1; fi
  mkdir -p "$bindir"
  if GOBIN=$bindir go install "$@" "$pkg" >"$log" 2>&1 && [ -x "$bindir/$name" ]; then return 0; fi
  # The line naming the module and the proxy's answer, e.g. "…@v/v2.13.8.info: 403 Forbidden".
  local first
  first=$(grep -m1 -E '^go: |^\S+\.go:' "$log" || tail -n1 "$log")
  local response
  response=$(grep -m1 'server response:' "$log" | sed 's/^[[:space:]]*//')
  # The registry's address is left out: notes and logs name registries, not their hosts.
  echo "$first${response:+; $response}" | sed -E 's#https?://[^/ ]+/[^ ]*/@v/#<Go module proxy>/…/@v/#g'
  return 1
}

REFLEX_BIN=$CACHE/reflex-$REFLEX_VERSION/bin/reflex
if [ -x "$REFLEX_BIN" ]; then
  record reflex ready "$REFLEX_BIN (cached, $REFLEX_VERSION)" "binary=$REFLEX_BIN" "version=$REFLEX_VERSION"
elif out=$(go_install reflex "$(dirname "$REFLEX_BIN")" reflex "github.com/cespare/reflex@$REFLEX_VERSION"); then
  record reflex ready "$REFLEX_BIN (built, $REFLEX_VERSION)" "binary=$REFLEX_BIN" "version=$REFLEX_VERSION"
else
  record reflex failed "$out"
fi

# --- KrakenD: found, never built from source by this project -----------------------------------
# The first of these that gives KrakenD wins, and the printed line says which one it was:
#   1. the image $IMAGE_KRAKEND already in the engine, e.g. one the user pulled (an image this script
#      built carries our context label and is instead kept in step with its binary, step 3);
#   2. `docker pull $IMAGE_KRAKEND`, where a registry answers;
#   3. a binary: $KRAKEND_BIN, else the cached $CACHE/krakend-<version>/bin/krakend, checked with
#      `krakend version` and wrapped in a FROM scratch image shaped like the official one;
#   4. `go install` of krakend-ce from the Go module proxy into that cache folder, then as in 3.
# krakend:watch is built FROM whichever image was found, plus reflex. A machine with no KrakenD is
# not a failure: the tests that need it are reported as not run, with this reason.
KRAKEND_CACHED_BIN=$CACHE/krakend-$KRAKEND_VERSION/bin/krakend

# shellcheck source=testEnv/krakendVersion.sh
. "$HELPERS/krakendVersion.sh"

# The binary of step 3 or 4, when one is needed; sets krakend_bin, krakend_bin_version, krakend_source.
find_krakend_binary() {
  local v out
  if [ -n "${KRAKEND_BIN:-}" ]; then
    if [ -x "$KRAKEND_BIN" ] && v=$(krakend_version "$KRAKEND_BIN"); then
      krakend_bin=$KRAKEND_BIN krakend_bin_version=$v krakend_source="KRAKEND_BIN"
      return 0
    fi
    krakend_reasons+=("KRAKEND_BIN=$KRAKEND_BIN is not a KrakenD binary that answers \`version\`")
  fi
  if [ -x "$KRAKEND_CACHED_BIN" ] && v=$(krakend_version "$KRAKEND_CACHED_BIN"); then
    krakend_bin=$KRAKEND_CACHED_BIN krakend_bin_version=$v krakend_source="cache"
    return 0
  fi
  krakend_reasons+=("no binary at $KRAKEND_CACHED_BIN")
  if out=$(go_install krakend "$(dirname "$KRAKEND_CACHED_BIN")" krakend-ce "github.com/krakend/krakend-ce/v2/cmd/krakend-ce@v$KRAKEND_VERSION" \
    -ldflags "-X github.com/luraproject/lura/v2/core.KrakendVersion=$KRAKEND_VERSION"); then
    mv -f "$(dirname "$KRAKEND_CACHED_BIN")/krakend-ce" "$KRAKEND_CACHED_BIN"
    if v=$(krakend_version "$KRAKEND_CACHED_BIN"); then
      krakend_bin=$KRAKEND_CACHED_BIN krakend_bin_version=$v krakend_source="Go module proxy"
      return 0
    fi
    out="the installed binary does not answer \`version\`"
  fi
  krakend_reasons+=("Go module proxy: $out")
  return 1
}

krakend_bin= krakend_bin_version= krakend_source= krakend_image_found= krakend_found_version=
krakend_reasons=()
docker_ready=$([ "$(status_of docker)" = ready ] && echo yes)
if [ -n "$docker_ready" ]; then
  # 1. A local image this script did not build.
  if "$DOCKER" image inspect "$IMAGE_KRAKEND" >/dev/null 2>&1; then
    [ -n "$(image_hash "$IMAGE_KRAKEND")" ] || krakend_image_found="local image"
  else
    krakend_reasons+=("no image $IMAGE_KRAKEND in the engine")
    # 2. A registry pull. Where no registry is reachable this fails at once (DNS); the timeout
    #    only bounds a registry that accepts the connection and then stalls.
    if timeout 300 "$DOCKER" pull "$IMAGE_KRAKEND" >"$LOGS/krakend-pull.log" 2>&1; then
      krakend_image_found="docker pull"
    else
      krakend_reasons+=("docker pull $IMAGE_KRAKEND: $(tail -n1 "$LOGS/krakend-pull.log")")
    fi
  fi
fi

# A found image runs `krakend` itself (the tests call it through `docker run`); otherwise a binary.
if [ -n "$krakend_image_found" ]; then
  if v=$("$DOCKER" run --rm --network host --entrypoint /usr/bin/krakend "$IMAGE_KRAKEND" version 2>&1) \
    && [[ $v =~ KrakenD\ Version:\ ([0-9][0-9A-Za-z.+-]*) ]]; then
    krakend_found_version=${BASH_REMATCH[1]}
    record krakend ready "$IMAGE_KRAKEND ($krakend_image_found, KrakenD $krakend_found_version)" \
      "source=$krakend_image_found" "image=$IMAGE_KRAKEND" "binary=" "version=$krakend_found_version"
  else
    krakend_image_found=
    krakend_reasons+=("$IMAGE_KRAKEND does not run /usr/bin/krakend version: ${v:-nothing printed}")
  fi
fi
if [ -z "$krakend_image_found" ]; then
  if find_krakend_binary; then
    krakend_found_version=$krakend_bin_version
    record krakend ready "$krakend_bin ($krakend_source, KrakenD $krakend_bin_version)" \
      "source=$krakend_source" "image=" "binary=$krakend_bin" "version=$krakend_bin_version"
  else
    record krakend missing "no KrakenD found: $(IFS=';'; echo "${krakend_reasons[*]}" | sed 's/;/; /g')"
  fi
fi

# --- krakend:2.13 (when made from a binary) and krakend:watch ----------------------------------
images_need="" images_status=missing
for c in docker krakend reflex; do
  st=$(status_of $c)
  [ "$st" = ready ] || images_need+="${images_need:+; }needs $c: $(reason_of $c)"
  # Missing only when KrakenD is what is missing; a failed docker or reflex is a failure.
  [ "$st" = failed ] && images_status=failed
done
if [ -n "$images_need" ]; then
  record krakend-images "$images_status" "$images_need"
else
  base=$CACHE/images/krakend-image
  key=$(inputs_key /bin/busybox "$krakend_bin" "$REFLEX_BIN" "$HELPERS"/krakend*.Dockerfile "$HELPERS"/*entrypoint.sh)
  if [ "$(cat "$base/.inputs" 2>/dev/null)" != "$key" ]; then
    rm -rf "$base" && mkdir -p "$base/watch"
    if [ -n "$krakend_bin" ]; then
      mkdir -p "$base/plain/rootfs/usr/bin" "$base/plain/rootfs/usr/local/bin" "$base/plain/rootfs/etc/krakend"
      rootfs_busybox "$base/plain/rootfs"
      cp "$krakend_bin" "$base/plain/rootfs/usr/bin/krakend"
      cp "$HELPERS/docker-entrypoint.sh" "$base/plain/rootfs/usr/local/bin/docker-entrypoint.sh"
      chmod 755 "$base/plain/rootfs/usr/local/bin/docker-entrypoint.sh"
      printf '{ "version": 3 }\n' >"$base/plain/rootfs/etc/krakend/krakend.json"
      cp "$HELPERS/krakend.Dockerfile" "$base/plain/Dockerfile"
    fi
    cp "$REFLEX_BIN" "$base/watch/reflex"
    cp "$HELPERS/watch-entrypoint.sh" "$base/watch/entrypoint.sh"
    chmod 755 "$base/watch/entrypoint.sh"
    cp "$HELPERS/krakend-watch.Dockerfile" "$base/watch/Dockerfile"
    echo "$key" >"$base/.inputs"
  fi
  out="found"
  if [ -z "$krakend_image_found" ] && ! out=$(build_image "$base/plain" "$IMAGE_KRAKEND"); then
    record krakend-images failed "docker build $IMAGE_KRAKEND: $out"
  else
    # The watch image's hash includes the base image's id, so a new base rebuilds :watch too.
    "$DOCKER" image inspect -f '{{.Id}}' "$IMAGE_KRAKEND" >"$base/watch/base-image-id"
    if ! out2=$(build_image "$base/watch" "$IMAGE_WATCH" --build-arg "BASE=$IMAGE_KRAKEND"); then
      record krakend-images failed "docker build $IMAGE_WATCH: $out2"
    elif ! version=$("$DOCKER" run --rm --network host "$IMAGE_KRAKEND" version 2>&1) || [[ $version != *"KrakenD Version: "* ]]; then
      record krakend-images failed "$IMAGE_KRAKEND version printed: ${version:-nothing}"
    else
      record krakend-images ready "$IMAGE_KRAKEND ($out), $IMAGE_WATCH ($out2): ${version%%$'\n'*}" \
        "image=$IMAGE_KRAKEND" "watchImage=$IMAGE_WATCH" "version=$krakend_found_version"
    fi
  fi
fi

# --- podman, a second engine for the gateway suite (rootful, its Docker-compatible API) ---------
# The test starts its own `podman system service` on a socket of its own and stops it. Here:
# install, check that the service answers and a container runs, and give podman our images (no
# registry is reachable, so they are copied over from Docker, once per image id).
PODMAN_SOCK=$CACHE/podman-probe.sock
# Podman sets its own rlimits in every container (nofile, nproc), above what a root without
# CAP_SYS_RESOURCE may set, as on these machines ("error setting rlimit type 7: operation not
# permitted"); Docker leaves them inherited. Its own containers.conf asks for values within reach,
# and moves Podman's default bridge from 10.88.0.0/16 into the benchmarking range, beside dockerd's.
PODMAN_CONF=$CACHE/podman/containers.conf
mkdir -p "$(dirname "$PODMAN_CONF")"
# Debian's package ships the 10.88 network as a CNI file; a config folder of our own makes Podman
# generate its default network from default_subnet instead.
mkdir -p "$CACHE/podman/networks"
printf '[containers]\ndefault_ulimits = ["nofile=16384:16384", "nproc=4096:4096"]\n[network]\ndefault_subnet = "198.19.254.0/24"\nnetwork_config_dir = "%s"\n' "$CACHE/podman/networks" >"$PODMAN_CONF"
export CONTAINERS_CONF=$PODMAN_CONF
# catatonit is podman's init (HostConfig.Init, which :watch images use); apt only recommends it.
{ [ -x /usr/bin/podman ] && [ -x /usr/libexec/podman/catatonit ]; } || apt_quiet "$LOGS/apt-podman.log" podman catatonit
if ! [ -x /usr/bin/podman ]; then
  record podman missing "podman is not installed and apt-get could not install it: $(key_line "$LOGS/apt-podman.log")"
elif [ "$(status_of krakend-images)" != ready ]; then
  record podman missing "needs krakend-images: $(reason_of krakend-images)"
else
  podman_version=$(podman --version 2>/dev/null | awk '{print $3}')
  rm -f "$PODMAN_SOCK"
  podman system service --time=0 "unix://$PODMAN_SOCK" >"$LOGS/podman-service.log" 2>&1 </dev/null 9>&- &
  podman_pid=$!
  pong=
  for _ in $(seq 1 100); do
    pong=$(curl -sf --max-time 2 --unix-socket "$PODMAN_SOCK" http://d/_ping 2>/dev/null) && [ "$pong" = OK ] && break
    kill -0 "$podman_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$podman_pid" 2>/dev/null
  wait "$podman_pid" 2>/dev/null
  rm -f "$PODMAN_SOCK"
  if [ "$pong" != OK ]; then
    record podman missing "podman system service did not answer GET /_ping: $(key_line "$LOGS/podman-service.log")"
  else
    ids=$("$DOCKER" image inspect -f '{{.Id}}' "$IMAGE_KRAKEND" "$IMAGE_WATCH" 2>/dev/null | sha256sum | cut -c1-16)
    stamp=$CACHE/stamps/podman-images-$ids
    if ! [ -f "$stamp" ]; then
      if "$DOCKER" save "$IMAGE_KRAKEND" "$IMAGE_WATCH" 2>>"$LOGS/podman-load.log" | podman load >>"$LOGS/podman-load.log" 2>&1; then
        mkdir -p "$CACHE/stamps" && touch "$stamp"
      fi
    fi
    if ! [ -f "$stamp" ]; then
      record podman missing "podman load of $IMAGE_KRAKEND and $IMAGE_WATCH failed: $(key_line "$LOGS/podman-load.log")"
    elif ! out=$(timeout 120 podman run --rm --network host "$IMAGE_KRAKEND" version 2>&1) || [[ $out != *"KrakenD Version"* ]]; then
      record podman missing "podman cannot run a container here: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
    else
      record podman ready "podman $podman_version (rootful), runs $IMAGE_KRAKEND" "version=$podman_version" "image=$IMAGE_KRAKEND" "watchImage=$IMAGE_WATCH" "conf=$PODMAN_CONF"
    fi
  fi
fi
unset CONTAINERS_CONF

# --- chromium, driven by playwright-core ------------------------------------------------------
if ! [ -x "$CHROMIUM" ]; then
  record chromium failed "$CHROMIUM is missing (Debian package chromium)"
elif ! chromium_version=$("$CHROMIUM" --version 2>/dev/null | head -n1) || [ -z "$chromium_version" ]; then
  record chromium failed "$CHROMIUM --version printed nothing"
else
  record chromium ready "$chromium_version at $CHROMIUM" "executable=$CHROMIUM" "version=$chromium_version"
fi

if pw_version=$(cd "$ROOT" && node -e 'require("playwright-core"); process.stdout.write(require("playwright-core/package.json").version)' 2>"$LOGS/playwright.log"); then
  # One real launch, cached per Chromium and playwright-core version: it proves the pair works headless.
  stamp=$CACHE/stamps/playwright-$pw_version-$(tr -c 'A-Za-z0-9.' _ <<<"${chromium_version:-none}")
  if [ "$(status_of chromium)" != ready ]; then
    record playwright ready "playwright-core $pw_version loads (no launch: chromium is not ready)" "version=$pw_version"
  elif [ -f "$stamp" ]; then
    record playwright ready "playwright-core $pw_version loads and launched $CHROMIUM (cached)" "version=$pw_version"
  elif (cd "$ROOT" && timeout 60 node "$HELPERS/launchChromium.mjs" "$CHROMIUM") >>"$LOGS/playwright.log" 2>&1; then
    mkdir -p "$CACHE/stamps" && touch "$stamp"
    record playwright ready "playwright-core $pw_version loads and launched $CHROMIUM" "version=$pw_version"
  else
    record playwright failed "playwright-core $pw_version could not launch $CHROMIUM: $(key_line "$LOGS/playwright.log")"
  fi
else
  record playwright failed "playwright-core does not load (run npm ci): $(key_line "$LOGS/playwright.log")"
fi

# --- code-server: collect the background install -----------------------------------------------
if [ "$node_major" != "$CODE_SERVER_NODE_MAJOR" ]; then
  record code-server failed "code-server $CODE_SERVER_VERSION needs Node $CODE_SERVER_NODE_MAJOR; node is $(node --version 2>/dev/null || echo missing)"
else
  [ -n "$cs_pid" ] && wait "$cs_pid"
  how=$([ -n "$cs_pid" ] && echo installed || echo cached)
  if [ -f "$CS_DIR/.ready" ] && [ -f "$CS_ENTRY" ]; then
    record code-server ready "$CODE_SERVER_VERSION $how, $CS_ENTRY" "entry=$CS_ENTRY" "dir=$CS_DIR" \
      "version=$CODE_SERVER_VERSION" "node=$(command -v node)"
  elif [ -z "$cs_pid" ]; then
    record code-server failed "not installed: needs ripgrep and libkrb5-dev (apt: $(reason_of apt))"
  else
    record code-server failed "install failed: $(key_line "$CS_LOG")"
  fi
fi

# --- report -----------------------------------------------------------------------------------
elapsed=$(awk -v s="$STARTED" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
node "$HELPERS/writeEnv.mjs" "$RECORDS" "$ROOT/test/.env.json" "$CACHE" "$elapsed"
