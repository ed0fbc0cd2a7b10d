# krakend:watch shaped like krakend/krakend-watch: the KrakenD image that test-env found (a pulled
# official one, or ours made from a binary) plus reflex, which restarts the gateway on any change
# under /etc/krakend. Setting ENTRYPOINT resets the inherited CMD, so like upstream it has no
# default command: always pass `run -c <file>`.
ARG BASE=krakend:2.13
FROM ${BASE}
COPY reflex /usr/bin/reflex
COPY entrypoint.sh /entrypoint.sh
WORKDIR /etc/krakend
ENTRYPOINT ["/entrypoint.sh"]
