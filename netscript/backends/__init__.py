"""Backends: every way out of the IR (bash scripts, netlink, DSL text)."""
