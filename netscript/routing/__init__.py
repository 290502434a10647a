"""Routes, policy rules and sysctls: read from `ip route` / `ip rule` / sysctl words, written back, and checked.

The IR is :mod:`netscript.ir.routing`; :mod:`.words` reads and writes the
words (the DSL's statements are `ip`'s own), :mod:`.checks` holds the
validation rules, and :mod:`.sysctls` knows which keys the kernel has.
"""
