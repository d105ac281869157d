"""The official ESCO CSV download (classification, relations) and our sv/nb translation tables.

``read_esco(paths)`` expands zips and folders, recognises each CSV from its content, validates
every row and returns an :class:`EscoBundle`; the importer (``services.taxonomy_import``)
matches it against a release and writes it.
"""

from careshift.adapters.files.esco.kinds import FileKind
from careshift.adapters.files.esco.reader import read_esco
from careshift.adapters.files.esco.records import (
    ConceptRow,
    ConceptSet,
    EscoBundle,
    LabelRow,
    LabelSet,
    LinkRow,
)

__all__ = [
    "ConceptRow",
    "ConceptSet",
    "EscoBundle",
    "FileKind",
    "LabelRow",
    "LabelSet",
    "LinkRow",
    "read_esco",
]
