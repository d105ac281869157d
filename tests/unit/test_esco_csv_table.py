"""The strict CSV table reader: physical start lines and values survive any quoting."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from careshift.adapters.files.esco.csv_table import Problems, read_table
from careshift.adapters.files.esco.sources import CsvSource

# Field text as ESCO has it: labels separated by newlines, commas, quotes, accents.
fields = st.text(alphabet=st.sampled_from('ab é,"\n|ø'), max_size=12)
tables = st.lists(st.lists(fields, min_size=3, max_size=3), min_size=1, max_size=8)


def _source(text: str) -> CsvSource:
    return CsvSource("t.csv", "t.csv", text.encode("utf-8"), None)


@given(rows=tables, line_ending=st.sampled_from(["\n", "\r\n"]))
def test_every_record_keeps_its_values_and_the_physical_line_it_starts_on(
    rows: list[list[str]], line_ending: str
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_ending)
    starts = []
    writer.writerow(["a", "b", "c"])
    for row in rows:
        starts.append(out.getvalue().count("\n") + 1)
        writer.writerow(row)
    problems = Problems()

    table = read_table(_source(out.getvalue()), problems)

    assert problems.found == []
    assert table is not None
    assert table.rows == list(zip(starts, rows, strict=True))


def test_a_byte_order_mark_is_not_part_of_the_first_column_name() -> None:
    table = read_table(_source("\ufeffconceptUri,x\nhttp://a/b,1\n"), Problems())

    assert table is not None
    assert table.header == ["conceptUri", "x"]


def test_a_long_esco_field_is_read_and_the_csv_modules_limit_put_back() -> None:
    # The limit is process-wide: left raised, an HR upload with a 200 KiB field would no
    # longer be refused as "not valid CSV" once any ESCO-style table had been read.
    before = csv.field_size_limit()
    long_field = "x" * (before + 10)
    table = read_table(_source(f"a,b\n1,{long_field}\n"), Problems())
    assert table is not None and table.rows == [(2, ["1", long_field])]
    assert csv.field_size_limit() == before
