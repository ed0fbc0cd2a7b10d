# Sourced by test-env.sh (and by test/integration/testEnv.test.ts).
# krakend_version <binary>: prints the version `<binary> version` reports (KrakenD prints it on
# stderr), or fails. The output is captured whole before it is matched: piping it into `grep -q`
# under `set -o pipefail` fails as soon as grep exits early and krakend dies of SIGPIPE.
krakend_version() {
  local out
  out=$("$1" version 2>&1) || return 1
  [[ $out =~ KrakenD\ Version:\ ([0-9][0-9A-Za-z.+-]*) ]] || return 1
  echo "${BASH_REMATCH[1]}"
}
