"""Checking the network commands in documentation: Markdown, reStructuredText, man pages, plain text.

    document -> blocks (per format) -> snippets of commands (prompts, output,
    placeholders) -> each command through the legacy frontend's grammars ->
    the snippet simulated on a model of the links -> diagnostics (and fixes)

:func:`check_document` is the entry point; ``netscript check`` calls it for
every file that is not a ``.ns`` spec.

Nothing is imported with the package itself: ``netscript check spec.ns``
pays nothing for the readers.
"""
