# krakend:watch shaped like krakend/krakend-watch: the plain image plus reflex, which restarts
# the gateway on any change under /etc/krakend. Setting ENTRYPOINT resets the inherited CMD, so
# like upstream it has no default command: always pass `run -c <file>`.
FROM krakend:2.13
COPY reflex /usr/bin/reflex
COPY entrypoint.sh /entrypoint.sh
WORKDIR /etc/krakend
ENTRYPOINT ["/entrypoint.sh"]
