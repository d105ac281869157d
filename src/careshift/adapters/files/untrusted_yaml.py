"""YAML from someone else (a request body, an uploaded file), parsed once and within bounds.

PyYAML's safe loader still trusts the text's *shape*. Two shapes cost far more than their size:

- **aliases**: ``b: &b [*a, *a, ...]`` nine levels deep is ~340 bytes standing for 9**9 nodes;
  the constructor shares them, but anything that walks the tree (our line index, ``str()`` of a
  value) visits every one: the "billion laughs" that grew a server to 17 GB;
- **nesting**: PyYAML composes and constructs recursively, so ``[`` x 900 raises
  ``RecursionError``, which is no ``YAMLError``.

Careshift's documents use neither (their examples and ``docs/planning.md`` have no anchor, and
no format is deeper than about eight levels), so :func:`load_untrusted` refuses both with the
line, as :class:`RefusedYAML` (a ``yaml.MarkedYAMLError``: callers that catch ``YAML_ERRORS``
and report through ``yaml_problem`` need no change).
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["MAX_DEPTH", "RefusedYAML", "dump_plain", "load_untrusted"]

#: collections inside collections; the deepest planning format needs 8, and 2 frames a level
#: stay far below Python's recursion limit
MAX_DEPTH = 32


class RefusedYAML(yaml.MarkedYAMLError):
    """Valid YAML that careshift will not read; ``problem`` says why, ``problem_mark`` where."""


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors, aliases and collections deeper than ``MAX_DEPTH``."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise RefusedYAML(
                problem="anchors and aliases (&name, *name) are not accepted; "
                "write the value out where it is used",
                problem_mark=event.start_mark,
            )
        if not isinstance(event, yaml.CollectionStartEvent):
            return super().compose_node(parent, index)
        if self._depth >= MAX_DEPTH:
            raise RefusedYAML(
                problem=f"nested too deeply (more than {MAX_DEPTH} levels of lists and mappings)",
                problem_mark=event.start_mark,
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_untrusted(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data of the one YAML document in ``text``.

    Raises what ``YAML_ERRORS`` lists, :class:`RefusedYAML` included; (None, None) when empty.
    """
    loader = _BoundedLoader(text)
    try:
        root = loader.get_single_node()
        return root, None if root is None else loader.construct_document(root)
    finally:
        loader.dispose()


class _PlainDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_plain(data: Any, **options: Any) -> str:
    """YAML without anchors or aliases (a value used twice is written out twice), so whatever
    careshift writes, :func:`load_untrusted` reads back."""
    text: str = yaml.dump(data, Dumper=_PlainDumper, **options)
    return text
