"""Small documents that cost a naive YAML reader a lot: alias bombs and deep nesting."""

from __future__ import annotations

from itertools import pairwise


def billion_laughs(levels: int = 9) -> str:
    """``a: &a [x x 9]``, ``b: &b [*a x 9]`` ...: 9**levels nodes in ~40 bytes a level."""
    names = "abcdefghijklmnop"[:levels]
    lines = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    for before, name in pairwise(names):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{before}"] * 9) + "]")
    return "\n".join(lines) + "\n"


#: name -> a one-line document nested thousands of levels deep
DEEP = {
    "brackets": "[" * 900 + "]" * 900,
    "flow-mappings": "{a: " * 3000,
    "json": '{"a": ' * 3000 + "1" + "}" * 3000,
    "under-a-key": "facilities: " + "[" * 900 + "]" * 900,
    "block-sequence": "- " * 3000 + "x",
}
