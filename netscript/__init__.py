"""netscript: Linux virtual networks from one spec."""

__version__ = "0.1.0"
