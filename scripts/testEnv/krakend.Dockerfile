# krakend:2.13 shaped like the official image (krakend/docker-library): the binary at
# /usr/bin/krakend, WORKDIR /etc/krakend, an entrypoint that prepends `krakend` to its
# subcommands, and `krakend run -c krakend.json` by default. Built from scratch because no
# registry is reachable; busybox-static stands in for alpine's /bin/sh.
# Differences, on purpose: it runs as root (no su-exec here), and USAGE_DISABLE=1 is set so a
# test gateway never reports usage to the internet (tests must only talk to loopback).
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin USAGE_DISABLE=1
WORKDIR /etc/krakend
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
EXPOSE 8080 8090
CMD ["krakend", "run", "-c", "krakend.json"]
