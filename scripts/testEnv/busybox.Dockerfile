# krakend-live/busybox:test: the smallest image the Docker tests can run, built offline.
FROM scratch
COPY rootfs/ /
ENV PATH=/bin
CMD ["sh"]
