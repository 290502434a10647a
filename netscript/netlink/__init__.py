"""rtnetlink, below everything that talks to the kernel: the sockets (one per namespace),
the attribute schema that both encodes requests and decodes dumps, and the request bytes.

Frontends (reading the live state) and backends (apply) both use it; it uses neither.
"""
