"""Linking through the real service, CLI and REST API on a tiny ESCO-format taxonomy.

The taxonomy is ``tests/data/esco_mini`` (hand-written, five occupations, nine skills); the
embedding model is the real default one, so these tests also prove it loads offline.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from careshift import Careshift, bootstrap, link_occupations, link_skills, load_settings
from careshift.entrypoints.api.app import create_app
from careshift.entrypoints.cli import app as cli
from careshift.errors import InputError
from careshift.services.linking import build_indexes

SKILL = "http://data.europa.eu/esco/skill/5b6c7d8e-000{}-4b00-9000-00000000000{}"
BLOOD, RECORDS = SKILL.format(1, 1), SKILL.format(3, 3)
HEALTH_SECRETARY = "http://data.europa.eu/esco/occupation/0a1b2c3d-0003-4a00-8000-000000000003"

_JSON_HEADERS = {"content-type": "application/json"}


@pytest.fixture
def cli_linked(linked: Careshift, monkeypatch: pytest.MonkeyPatch) -> Careshift:
    """``linked``, with the environment pointing the CLI at its database and data folder."""
    monkeypatch.setenv("CARESHIFT_DATABASE_URL", linked.settings.effective_database_url)
    monkeypatch.setenv("CARESHIFT_DATA_DIR", str(linked.settings.data_dir))
    return linked


def test_norwegian_title_links_to_its_occupation_first(linked: Careshift) -> None:
    [result] = link_occupations(linked, ["helsesekretær på legekontor"], "nb", 3)
    assert result.results[0].uri == HEALTH_SECRETARY
    assert result.results[0].label == "helsesekretær"
    scores = [r.score for r in result.results]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)


def test_swedish_cv_sentence_yields_blood_samples_and_records_with_spans(
    linked: Careshift,
) -> None:
    text = "Jag tar blodprover och hanterar vårdtagares uppgifter i journalsystemet."
    [result] = link_skills(linked, [text], "sv", 4)
    found = {r.uri: r for r in result.results}
    assert {BLOOD, RECORDS} <= set(found)
    start, end = found[BLOOD].spans[0]
    assert "blodprover" in text[start:end]


def test_empty_input_gives_empty_results_and_bad_input_clear_errors(linked: Careshift) -> None:
    assert link_skills(linked, [], "en", 5) == []
    assert link_skills(linked, [""], "en", 5)[0].results == ()
    with pytest.raises(InputError, match="bytes"):
        link_skills(linked, ["x" * 1_000_001], "en", 5)
    with pytest.raises(InputError, match="binary"):
        link_skills(linked, ["\x00\x01\x02 blood"], "en", 5)
    with pytest.raises(InputError, match="language"):
        link_skills(linked, ["blood"], "de", 5)
    # JSON's "\\ud800" decodes to a lone surrogate, which no encoder (nor the model) accepts
    with pytest.raises(InputError, match="lone surrogate at character 7"):
        link_occupations(linked, ["nurse \ud800 x"], "en", 5)
    with pytest.raises(InputError, match="whole number"):
        link_skills(linked, ["blood"], "en", "3")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="list of strings"):
        link_skills(linked, None, "en", 5)  # type: ignore[arg-type]


def test_texts_may_come_from_a_generator(linked: Careshift) -> None:
    titles = ["helsesekretær", "blodtaker"]
    from_list = link_occupations(linked, titles, "nb", 2)
    from_generator = link_occupations(linked, (t for t in titles), "nb", 2)
    assert [r.text for r in from_generator] == titles
    assert from_generator == from_list


def test_an_overly_long_title_is_truncated_with_a_warning(linked: Careshift) -> None:
    [result] = link_occupations(linked, ["phlebotomist " * 100], "en", 1)
    assert len(result.text) == 300
    assert "truncated" in result.warnings[0]


def test_rest_links_a_batch_and_answers_problem_json_for_bad_input(linked: Careshift) -> None:
    client = TestClient(create_app(linked))
    body = {"texts": ["blodtaker", "medical records clerk"], "lang": "nb", "top": 2}
    response = client.post("/api/v1/link/occupations", json=body)
    assert response.status_code == 200
    assert [len(item["results"]) for item in response.json()] == [2, 2]
    bad = client.post("/api/v1/link/skills", json={"texts": ["blood"], "lang": "xx"})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    huge = client.post("/api/v1/link/skills", json={"texts": ["a" * 1_100_000]})
    assert huge.status_code == 422 and "limit" in huge.json()["detail"]
    for path in ("/api/v1/link/occupations", "/api/v1/link/skills"):
        lone = client.post(path, content=b'{"texts": ["nurse \\ud800 x"]}', headers=_JSON_HEADERS)
        assert lone.status_code == 422 and "surrogate" in lone.json()["detail"]
    broken = client.post(
        "/api/v1/link/skills", content=b'{"texts": ["blood",]}', headers=_JSON_HEADERS
    )
    assert broken.status_code == 422
    assert broken.json()["errors"][0]["field"] == "body"
    assert "not valid JSON at character" in broken.json()["detail"]
    latin1 = client.post(
        "/api/v1/link/skills",
        content='{"texts": ["blodprøve"]}'.encode("latin-1"),
        headers=_JSON_HEADERS,
    )
    assert latin1.status_code == 400 and "UTF-8" in latin1.json()["detail"]


def test_cli_writes_one_json_line_per_input_line_and_refuses_binary(
    cli_linked: Careshift, tmp_path: Path
) -> None:
    source = tmp_path / "cv.txt"
    source.write_text("takes blood samples\n\nkeeps patient records\n", encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(cli, ["link", "skills", "--top", "2", "--input", str(source)])
    assert done.exit_code == 0, done.output
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["text"] for line in lines] == ["takes blood samples", "", "keeps patient records"]
    assert lines[0]["results"][0]["uri"] == BLOOD and lines[1]["results"] == []
    source.write_bytes(b"blood\n\xff\xfe\x00binary")
    refused = runner.invoke(cli, ["link", "skills", "--input", str(source)])
    assert isinstance(refused.exception, InputError)
    assert "cv.txt:2" in str(refused.exception.problems[0])


def test_cli_checks_every_line_before_linking_and_names_lines_past_the_first_batch(
    cli_linked: Careshift, tmp_path: Path
) -> None:
    runner = CliRunner()
    source = tmp_path / "titles.txt"
    # more lines than one linker batch (64), a bad one far down: nothing is printed
    source.write_text("nurse\n" * 67 + "\x01\x02\x03 a\n", encoding="utf-8")
    refused = runner.invoke(cli, ["link", "occupations", "--top", "1", "--input", str(source)])
    assert isinstance(refused.exception, InputError)
    assert "titles.txt:68" in str(refused.exception.problems[0])
    assert refused.stdout == ""
    # a byte-order mark is not part of the first title; a long line is cut, named by its line
    source.write_bytes(b"\xef\xbb\xbfnurse\n" + b"nurse\n" * 66 + b"nurse " * 100 + b"\n")
    done = runner.invoke(cli, ["link", "occupations", "--top", "1", "--input", str(source)])
    assert done.exit_code == 0, done.output
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 68 and lines[0]["text"] == "nurse"
    assert lines[0]["results"] == lines[1]["results"]
    assert f"warning: {source}:68: truncated from 599 to 300 characters" in done.stderr


def test_cli_skill_model_option_links_english_lines_with_that_model(
    cli_linked: Careshift, tmp_path: Path
) -> None:
    from careshift.errors import ConfigError

    source = tmp_path / "ads.txt"
    texts = ["I take blood samples.", "We keep patient records up to date."]
    source.write_text("\n".join(texts), encoding="utf-8")
    runner = CliRunner()
    command = ["link", "skills", "--top", "3", "--input", str(source)]
    done = runner.invoke(cli, [*command, "--skill-model", "wordllama"])
    assert done.exit_code == 0, done.output
    fast = _with_static_skill_model(cli_linked)
    try:
        expected = [r.as_json() for r in link_skills(fast, texts, "en", 3)]
    finally:
        fast.close()
    assert [json.loads(line) for line in done.stdout.splitlines()] == json.loads(
        json.dumps(expected)
    )
    refused = runner.invoke(cli, [*command, "--skill-model", "gpt-9"])
    assert isinstance(refused.exception, ConfigError)
    assert "CARESHIFT_SKILL_MODEL" in str(refused.exception)


def test_build_index_reports_the_labels_it_indexed(
    cli_linked: Careshift,
) -> None:
    done = CliRunner().invoke(cli, ["link", "build-index"])
    assert done.exit_code == 0, done.output
    labels = json.loads(done.stdout)["labels"]
    assert labels["skills"] >= 9 and labels["occupations"] >= 5
    assert any((cli_linked.settings.data_dir / "artefacts").glob("skill-*.npy"))


def test_a_batch_on_dask_equals_linking_each_text_alone_in_its_language(
    cli_linked: Careshift, tmp_path: Path
) -> None:
    ads = [
        {"id": 1, "text": "We need someone who takes blood samples.", "lang": "en"},
        {"id": "ad-2", "text": "Du håndterer pasientjournaler og tar blodprøver.", "lang": "nb"},
        {"id": 3, "text": "Du tar blodprov och sköter patientjournaler."},  # --lang sv
        {"id": 4, "text": ""},
    ] * 40  # 160 texts: three chunks, so order across tasks is checked too
    source = tmp_path / "ads.jsonl"
    source.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ads), "utf-8")
    out = tmp_path / "linked.jsonl"
    done = CliRunner().invoke(
        cli,
        ["link", "batch", "--input", str(source), "--out", str(out), "--lang", "sv", "--top", "3"],
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["texts"] == 160
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [line["id"] for line in lines] == [str(a["id"]) for a in ads]
    for lang in ("en", "nb", "sv"):
        mine = [(a, line) for a, line in zip(ads, lines, strict=True) if line["lang"] == lang]
        alone = link_skills(cli_linked, [a["text"] for a, _ in mine[:4]], lang, 3)
        expected = [json.loads(json.dumps(r.as_json()["results"])) for r in alone]
        assert [line["results"] for _, line in mine[:4]] == expected
    assert BLOOD in {r["uri"] for r in lines[1]["results"]}


def test_a_batch_with_one_bad_line_links_nothing_and_names_the_line(
    linked: Careshift, tmp_path: Path
) -> None:
    from careshift.services.link_batch import run_link_batch

    source = tmp_path / "ads.jsonl"
    source.write_text(
        '{"id": 1, "text": "takes blood samples"}\n\n{"id": 2, "text": 5}\n{"id": 3, "lang": "de",'
        ' "text": "Blut"}\nnot json\n',
        "utf-8",
    )
    out = tmp_path / "linked.jsonl"
    out.write_text("an earlier run's output\n", "utf-8")
    with pytest.raises(InputError) as refused:
        run_link_batch(linked, source, out)
    assert [str(p) for p in refused.value.problems] == [
        f"{source}:3 field 'text': missing or not a string",
        f"{source}:4 field 'lang': 'de' is not one of en, nb, sv",
        f"{source}:5: not a JSON object: Expecting value",
    ]
    assert out.read_text("utf-8") == "an earlier run's output\n"
    assert not out.with_name("linked.jsonl.partial").exists()


def test_a_chunk_of_long_texts_is_linked_in_calls_the_linker_accepts(
    linked: Careshift, tmp_path: Path
) -> None:
    from careshift.services.link_batch import run_link_batch

    # Ten 150 kB titles: one chunk of 1.5 MB, over what one linker call accepts (1 MB); each
    # is cut to a title's length with a warning, exactly as when linked alone.
    title = "helsesekretær " + "x" * 150_000
    source = tmp_path / "titles.jsonl"
    source.write_text(
        "\n".join(json.dumps({"id": i, "text": title}) for i in range(10))
        + '\n{"id": "bin", "text": "\\u0001\\u0002\\u0003 a"}\n',
        "utf-8",
    )
    with pytest.raises(InputError) as refused:
        run_link_batch(linked, source, tmp_path / "out.jsonl", kind="occupations", lang="nb")
    assert [str(p) for p in refused.value.problems] == [
        f"{source}:11 field 'text': looks binary (control characters), not text"
    ]
    source.write_text("\n".join(json.dumps({"id": i, "text": title}) for i in range(10)), "utf-8")
    out = tmp_path / "out.jsonl"
    run_link_batch(linked, source, out, kind="occupations", lang="nb", top=3)
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    alone = json.loads(json.dumps(link_occupations(linked, [title], "nb", 3)[0].as_json()))
    assert len(lines) == 10
    assert all(line["results"] == alone["results"] for line in lines)
    assert lines[0]["warnings"] == ["truncated from 150,014 to 300 characters"]


def test_a_static_skill_model_links_english_documents_the_rest_keeps_the_default_model(
    linked: Careshift,
) -> None:
    fast = _with_static_skill_model(linked)
    try:
        text = "I take blood samples from patients and keep their medical records up to date."
        [result] = link_skills(fast, [text], "en", 4)
        found = {r.uri: r for r in result.results}
        assert {BLOOD, RECORDS} <= set(found)
        start, end = found[BLOOD].spans[0]
        assert "blood samples" in text[start:end]
        [title] = link_occupations(fast, ["helsesekretær på legekontor"], "nb", 1)
        assert title.results[0].uri == HEALTH_SECRETARY
        # the static model knows English only: Norwegian and Swedish link as without it
        for lang, other in (
            ("sv", "Jag tar blodprover och hanterar vårdtagares uppgifter i journalsystemet."),
            ("nb", "Jeg tar blodprøver og fører pasientjournaler."),
        ):
            assert link_skills(fast, [other], lang, 4) == link_skills(linked, [other], lang, 4)
        indexes = build_indexes(fast)
        widths = {name: index.dense.vectors.shape[1] for name, index in indexes.items()}
        assert widths == {"occupations": 384, "skills": 384, "skills-en": 256}
    finally:
        fast.close()


def test_first_english_and_swedish_documents_at_once_build_their_indexes_once(
    linked: Careshift, tmp_path: Path
) -> None:
    # a fresh data folder: both skill indexes (and their artefacts) are built by these calls
    fresh = _with_static_skill_model(linked, tmp_path / "fresh")
    (tmp_path / "fresh" / "artefacts").mkdir(parents=True)
    shared = linked.settings.data_dir / "artefacts"
    for vectors in shared.glob("*.npy"):  # the e5 label vectors: no need to embed them again
        (tmp_path / "fresh" / "artefacts" / vectors.name).symlink_to(vectors)
    texts = {"en": "I take blood samples.", "sv": "Jag tar blodprover."}
    barrier = threading.Barrier(len(texts))

    def link(lang: str) -> list[str]:
        barrier.wait()
        return [r.uri for r in link_skills(fresh, [texts[lang]], lang, 3)[0].results]

    try:
        with ThreadPoolExecutor(len(texts)) as pool:
            found = dict(zip(texts, pool.map(link, texts), strict=True))
        assert all(BLOOD in uris for uris in found.values()), found
        assert not list((tmp_path / "fresh" / "artefacts").glob("*.partial"))
    finally:
        fresh.close()


def _with_static_skill_model(linked: Careshift, data_dir: Path | None = None) -> Careshift:
    return bootstrap(
        load_settings(
            database_url=linked.settings.effective_database_url,
            data_dir=data_dir or linked.settings.data_dir,
            skill_model="wordllama",
        )
    )


def test_the_static_skill_model_leans_each_skill_vector_towards_its_description(
    linked: Careshift,
) -> None:
    from careshift.engine.linking import parameters
    from careshift.services.linking import embedder

    fast = _with_static_skill_model(linked)
    try:
        index = build_indexes(fast)["skills-en"]
        catalogue, rows = index.catalogue, index.dense.label_rows
        assert rows is not None
        model = embedder(fast, "wordllama")
        labels = model.encode([catalogue.texts[i] for i in rows])
        about = model.encode(
            [
                {
                    "take blood samples": "Follow the recommended procedures for collecting blood"
                }.get(catalogue.texts[i], "")
                for i in rows
            ]
        )
        blood = [catalogue.texts[i] for i in rows].index("take blood samples")
        vectors = np.asarray(index.dense.vectors)
        weight = parameters.STATIC_SKILLS.description_weight
        assert weight > 0
        # the ESCO description pulls the label's vector away from the bare label ...
        assert vectors[blood] @ labels[blood] < 1 - 1e-3
        assert vectors[blood] @ about[blood] > labels[blood] @ about[blood]
        # ... and every vector stays a unit vector
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    finally:
        fast.close()
