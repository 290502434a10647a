"""The NS4xx diagnostic codes: legacy shell translation."""

from ...codes import Rule, register
from ...diagnostics import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 - the table's one-letter severity column

RULES = (
    Rule("NS401", "legacy-command", W, "A legacy command (brctl, vconfig, ifenslave, tunctl, teamd, bonding sysfs, ifconfig, route, arp) with a modern equivalent; `netscript translate` rewrites it."),
    Rule("NS402", "legacy-kept", W, "A legacy command left as written: its output is parsed, its status tested, or it has no faithful modern equivalent."),
    Rule("NS403", "unknown-subcommand", E, "A subcommand or option the legacy tool does not have."),
    Rule("NS404", "wrong-arguments", E, "A legacy command with missing or extra arguments."),
    Rule("NS405", "bad-legacy-value", E, "A value the tool or the kernel refuses (out of range, not a number, unknown keyword): the command fails."),
    Rule("NS406", "lossy-translation", W, "The modern command approximates the old one (a team option bonding lacks, a value the old tool truncated)."),
    Rule("NS407", "run-time-conversion", I, "A value that needs converting (seconds to centiseconds, on/off to 1/0) is only known at run time; the translation converts it there."),
    Rule("NS408", "tool-check", W, "The script checks that a legacy tool exists; the translated script no longer needs it."),
    Rule("NS409", "not-straight-line", E, "Only a straight-line script (no if, loops, functions, pipelines) can become a declarative spec."),
    Rule("NS410", "not-expressible", W, "A command whose effect a spec cannot express (a route, a query, another program)."),
    Rule("NS411", "unparsed-region", W, "Shell text the parser could not read; it is left untouched."),
    Rule("NS412", "bad-teamd-config", E, "A teamd JSON configuration that teamd.conf(5) does not allow."),
    Rule("NS413", "ip-octal", W, "A number with a leading 0 or 0x, which ip reads as octal or hex."),
    Rule("NS414", "unknown-variable", E, "A straight-line script uses a variable it does not set, so a spec cannot know its value."),
    Rule("NS415", "no-bond-equivalent", W, "A team setting bonding cannot express (runner random, nsna_ping...): the command is left as written."),
)

register(*RULES)
