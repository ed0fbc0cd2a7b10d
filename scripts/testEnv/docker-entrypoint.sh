#!/bin/sh
# Like the official image's entrypoint: KrakenD subcommands and flags get `krakend` prepended,
# anything else runs as given. exec keeps krakend as PID 1, so `docker stop` (SIGTERM) reaches it.
set -e
case "${1:-}" in
  ''|-*|run|version|check|check-plugin|test-plugin|validate|audit|help) set -- krakend "$@" ;;
esac
exec "$@"
