#!/bin/sh
# Like krakend/krakend-watch's entrypoint: reflex watches /etc/krakend recursively and restarts
# (-s) the gateway on every change, except saves to the Flexible Configuration output file.
# Not exec'd, as upstream: PID 1 stays this shell.
FC_OUT=${FC_OUT:-out.json}
IGNORE_GLOB_EXPRESSION=$(basename "$FC_OUT")
echo "Watching changes on files /etc/krakend/"
echo "Ignoring saves to file $IGNORE_GLOB_EXPRESSION"
/usr/bin/reflex -G "$IGNORE_GLOB_EXPRESSION" -s -- /usr/local/bin/docker-entrypoint.sh "$@"
