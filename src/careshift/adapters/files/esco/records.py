"""What the ESCO reader hands to the importer: validated rows, grouped by what they replace.

Every row that points at a concept keeps its file and line, so a reference to a concept the
release does not describe can be reported (or refused under ``--strict``) where it was found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from careshift.adapters.files.esco.kinds import FileKind

__all__ = ["ConceptRow", "ConceptSet", "EscoBundle", "LabelRow", "LabelSet", "LinkRow"]


@dataclass(frozen=True, slots=True)
class ConceptRow:
    uri: str
    #: occupation | skill | isco_group | skill_group
    kind: str
    code: str | None = None
    isco_code: str | None = None
    skill_type: str | None = None
    reuse_level: str | None = None
    status: str | None = None
    regulated_note: str | None = None
    description: str | None = None


# Rows are NamedTuples: hundreds of thousands are built per import, and a frozen dataclass
# costs several times more to construct.
class LabelRow(NamedTuple):
    uri: str
    #: preferred | alt | hidden
    label_type: str
    text: str
    file: str
    line: int


class LinkRow(NamedTuple):
    """A row relating two concepts (occupation-skill, skill-skill, broader) or tagging one."""

    uri: str
    #: the other end; for a tag row, the tag itself
    other: str
    #: essential | optional for relations; "" for broader and tag rows
    relation: str
    file: str
    line: int


@dataclass
class ConceptSet:
    """The concepts the classification files of one language describe, with their labels."""

    lang: str
    concepts: dict[str, ConceptRow] = field(default_factory=dict)
    labels: list[LabelRow] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)


@dataclass
class LabelSet:
    """Labels of one language for some kinds of concept (a translation, or a non-base language).

    Importing it replaces that language's labels of exactly those kinds in the release.
    """

    lang: str
    kinds: set[str] = field(default_factory=set)
    labels: list[LabelRow] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)


@dataclass
class EscoBundle:
    """Everything one import call read, validated, not yet matched against a release."""

    #: ESCO version named by the files (``v1.1.1``), if any
    version: str | None = None
    #: (how messages name the file, what it was recognised as)
    files: list[tuple[str, FileKind]] = field(default_factory=list)
    #: by language
    concept_sets: dict[str, ConceptSet] = field(default_factory=dict)
    #: by "<lang>:<kinds>", e.g. "sv:isco_group,occupation"
    label_sets: dict[str, LabelSet] = field(default_factory=dict)
    #: "occupation_skill", "skill_skill", "broader:occupation", "broader:skill", "tag:<name>"
    links: dict[str, list[LinkRow]] = field(default_factory=dict)
    link_digests: dict[str, list[str]] = field(default_factory=dict)
    #: observations about the release that change nothing (e.g. rows with an empty skillType)
    notes: list[str] = field(default_factory=list)
