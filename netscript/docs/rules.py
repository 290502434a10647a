"""The NS6xx diagnostic codes: documentation checking.

Findings about single commands reuse the legacy frontend's codes (NS401
legacy command, NS403-NS405 syntax and values...) and snippet semantics reuse
validation's (NS205 duplicate, NS206 two masters, NS208 macvlan with ipvlan,
NS209 team port up), so a mistake has one code wherever it is found. These
are the findings only documentation has.
"""

from ..codes import Rule, register
from ..diagnostics import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 - the table's one-letter severity column

RULES = (
    Rule("NS601", "deleted-link", E, "A command uses a link that the snippet deleted earlier (enslaving to a deleted master, setting a deleted link)."),
    Rule("NS602", "impossible-master", E, "Enslaving to a master that could never exist: a name the kernel refuses, or a link of a kind that takes no ports."),
    Rule("NS603", "veth-peer-same-name", E, "A veth whose peer has the veth's own name: the kernel refuses the pair."),
    Rule("NS604", "timer-in-seconds", W, "A bridge timer given to `ip` as if it were seconds: `ip link ... type bridge` takes centiseconds."),
    Rule("NS605", "run-failed", E, "With --run: a command failed in the throwaway namespace; the kernel's message says why."),
    Rule("NS606", "run-skipped", I, "With --run: a snippet (or a branch of it) not run: it names namespaces or has placeholders, or needs a tool, a link kind or a master that is not there, or what an earlier failed command was to make."),
    Rule("NS607", "sysfs-not-written", E, "`echo VALUE /sys/class/net/...` without `>`: echo prints the path instead of writing the value."),
)

register(*RULES)
