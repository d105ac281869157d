"""Pure domain: dataclasses and rules, no I/O, no frameworks."""
