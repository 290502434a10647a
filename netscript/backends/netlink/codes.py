"""NS5xx: the diagnostic codes of direct execution over netlink."""

from ...codes import E, Rule, W, register

RULES = (
    Rule("NS501", "missing-namespace", E, "A namespace the spec builds in (--netns) does not exist."),
    Rule("NS502", "missing-interface", E, "An interface the spec uses as existing (physical) is not there."),
    Rule("NS503", "step-failed", E, "The kernel (or teamd) refused a step; everything done before it was undone."),
    Rule("NS504", "verify-mismatch", E, "After applying, the kernel's state differs from the spec; the apply was undone."),
    Rule("NS505", "disruptive-step", E, "--no-disrupt refuses a step that disrupts traffic (delete, recreate, move, down...)."),
    Rule("NS506", "default-route", E, "The plan would delete, move, take down or enslave the interface carrying the default route; --force allows it."),
    Rule("NS507", "rollback-incomplete", E, "An undo failed while rolling back: the namespace may not be as it was."),
    Rule("NS508", "kind-conflict", E, "A link of another kind has the spec's name; only --prune replaces it, and never a physical one."),
    Rule("NS509", "cannot-read", E, "The live state could not be read (not root, or netlink refused the dump)."),
    Rule("NS510", "not-expressible", E, "A setting the netlink backend cannot send (no netlink attribute is known for it)."),
    Rule("NS511", "not-exported", W, "export met a link it can only describe as an existing (physical) one."),
    Rule("NS513", "locked", E, "The apply lock could not be taken: held past --wait, or the lock path is not a private regular file."),
    Rule("NS512", "interrupted", E, "SIGINT, SIGTERM or SIGHUP stopped the apply; the changes made were undone."),
)

register(*RULES)
