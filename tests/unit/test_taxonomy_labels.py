"""Which label a concept shows in a language, and labels careshift adds to a release's own."""

from __future__ import annotations

from careshift.domain.taxonomy import Concept, ConceptKind, LabelType, TaxonomySnapshot

P, A = LabelType.PREFERRED, LabelType.ALT


def _skill(uri: str, labels: dict[str, dict[LabelType, tuple[str, ...]]]) -> Concept:
    return Concept(uri=uri, kind=ConceptKind.SKILL, labels=labels)


def test_a_label_in_the_language_wins_then_an_alternative_then_english() -> None:
    records = _skill(
        "urn:records",
        {
            "en": {P: ("health records management",), A: ("medical records",)},
            "sv": {P: ("hantering av patientjournaler",), A: ("journalhantering",)},
            "nb": {A: ("journalføring", "journalhåndtering")},
        },
    )
    assert records.label("sv") == ("hantering av patientjournaler", "sv")
    assert records.label("nb") == ("journalføring", "nb")
    assert records.label("en") == ("health records management", "en")
    assert _skill("urn:x", {"en": {P: ("x",)}}).label("nb") == ("x", "en")
    assert _skill("urn:y", {"sv": {P: ("y",)}}).label("nb") == ("y", "sv")
    assert _skill("urn:z", {}).label("nb") == ("urn:z", "")


def test_added_labels_join_as_alternatives_without_repeats() -> None:
    records = _skill(
        "urn:records",
        {"en": {P: ("health records management",)}, "sv": {P: ("journalhantering",)}},
    )
    added = records.with_alt_labels(
        {"sv": ("journalhantering", "journalföring", "journalföring"), "nb": ("journalføring",)}
    )
    assert added.labels == {
        "en": {P: ("health records management",)},
        "sv": {P: ("journalhantering",), A: ("journalföring",)},
        "nb": {A: ("journalføring",)},
    }
    assert records.labels["sv"] == {P: ("journalhantering",)}  # not changed in place


def test_a_snapshot_adds_labels_to_the_concepts_it_holds_only() -> None:
    records = _skill("urn:records", {"en": {P: ("health records management",)}})
    other = _skill("urn:other", {"en": {P: ("other",)}})
    taxonomy = TaxonomySnapshot(
        concepts={c.uri: c for c in (records, other)},
        occupation_skills=(),
        broader=(("urn:records", "urn:other"),),
    )
    added = taxonomy.with_alt_labels(
        {
            "urn:records": {"nb": ("journalføring",), "en": ("health records management", "EHR")},
            "urn:gone": {"nb": ("borte",)},
        }
    )
    # what was added is remembered, so pages can say whose names they are
    assert added.added_labels == {"urn:records": {"nb": ("journalføring",), "en": ("EHR",)}}
    assert set(added.concepts) == {"urn:records", "urn:other"}
    assert added.concepts["urn:records"].label("nb") == ("journalføring", "nb")
    assert added.concepts["urn:other"] is other
    assert added.broader == taxonomy.broader
