"""Regenerate the golden scripts after a deliberate change: python tests/golden/regen.py

Review the diff before committing: every changed line is a change users see.
"""

import glob
import os
import sys

from click.testing import CliRunner

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from netscript.cli import main  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# name suffix -> extra render options
VARIANTS = {"": [], ".teardown": ["--teardown"], ".batch": ["--batch"]}
# Cases rendered in every variant; the rest only plain.
ALL_VARIANTS = {"bond", "veth-namespaces", "macvlan-macvtap-vxlan-tun", "routes"}


def cases():
    for spec in sorted(glob.glob(os.path.join(HERE, "cases", "*.ns"))):
        name = os.path.basename(spec)[:-3]
        for suffix, options in VARIANTS.items():
            if suffix and name not in ALL_VARIANTS:
                continue
            yield spec, os.path.join(HERE, "cases", name + suffix + ".sh"), options


def render(spec, options):
    """The script as users get it: rendered from inside cases/, so spans read `bond.ns:3:6`."""
    cwd = os.getcwd()
    os.chdir(os.path.dirname(spec))
    try:
        result = CliRunner().invoke(main, ["render", *options, os.path.basename(spec)])
    finally:
        os.chdir(cwd)
    if result.exit_code != 0:
        raise SystemExit(f"{spec}: {result.output}")
    return result.stdout


if __name__ == "__main__":
    for spec, golden, options in cases():
        with open(golden, "w") as f:
            f.write(render(spec, options))
        print("wrote", os.path.relpath(golden))
