"""The table of extra Norwegian and Swedish labels: what careshift ships, and bad rows refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from careshift.adapters.files.label_supplement import SKILL_LABELS, read_label_supplement
from careshift.errors import ImportFailed


def test_the_bundled_table_labels_esco_skills_in_norwegian_and_swedish() -> None:
    table = read_label_supplement(SKILL_LABELS)
    assert len(table) > 1000
    assert all(uri.startswith("http://data.europa.eu/esco/skill/") for uri in table)
    langs = {lang for by_lang in table.values() for lang in by_lang}
    assert langs == {"nb", "sv"}
    # every skill has a Norwegian label: ESCO has none
    assert all("nb" in by_lang for by_lang in table.values())


def test_rows_are_grouped_by_concept_and_language_without_repeats(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(
        "conceptUri,lang,label\n"
        "http://x/1,nb,journalføring\n"
        "http://x/1,sv,journalföring\n"
        "http://x/1,nb,  journalføring \n"
        'http://x/1,nb,"føre journal, elektronisk"\n',
        encoding="utf-8",
    )
    assert read_label_supplement(path) == {
        "http://x/1": {
            "nb": ("journalføring", "føre journal, elektronisk"),
            "sv": ("journalföring",),
        }
    }


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ("journalføring,nb,x", "conceptUri", "not a concept URI"),
        ("https://,nb,x", "conceptUri", "not a concept URI"),
        ("http://x/1,de,Aktenführung", "lang", "unsupported language"),
        ("http://x/1,nb,  ", "label", "empty label"),
    ],
)
def test_a_bad_row_is_named_by_file_line_and_field(
    tmp_path: Path, row: str, field: str, message: str
) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(f"conceptUri,lang,label\nhttp://x/1,nb,ok\n{row}\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        read_label_supplement(path)
    [problem] = failed.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 3, field)
    assert message in problem.message


def test_a_missing_column_or_a_wrong_encoding_is_refused(tmp_path: Path) -> None:
    headerless = tmp_path / "a.csv"
    headerless.write_text("uri,lang,label\nhttp://x/1,nb,ok\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="unexpected header"):
        read_label_supplement(headerless)
    latin = tmp_path / "b.csv"
    latin.write_bytes("conceptUri,lang,label\nhttp://x/1,nb,journalf\xf8ring\n".encode("latin-1"))
    with pytest.raises(ImportFailed) as failed:
        read_label_supplement(latin)
    assert failed.value.problems[0].line == 2
    with pytest.raises(ImportFailed, match="cannot read"):
        read_label_supplement(tmp_path / "missing.csv")


def test_an_unquoted_comma_is_refused_not_cut(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(
        "conceptUri,lang,label\nhttp://x/1,nb,helse, miljø og sikkerhet\n", encoding="utf-8"
    )
    with pytest.raises(ImportFailed) as failed:
        read_label_supplement(path)
    [problem] = failed.value.problems
    assert problem.line == 2 and "expected 3 fields, found 4" in problem.message


def test_a_byte_order_mark_is_read_as_excel_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("conceptUri,lang,label\nhttp://x/1,nb,ok\n", encoding="utf-8-sig")
    assert read_label_supplement(path) == {"http://x/1": {"nb": ("ok",)}}
