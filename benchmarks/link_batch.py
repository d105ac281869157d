"""A file of job ads linked to ESCO skills on Dask: in-process loop vs Dask threads vs processes.

``python -m benchmarks --only link_batch``. The documents are the ``link_skills`` benchmark's
150-word documents (from the TECH/HOUSE dev sentences), LINK_BATCH_DOCS of them (default 160),
written as JSON lines. Each mode links the same file: the in-process loop calls
``link_skills`` in chunks of 64, the Dask modes run ``careshift link batch``'s service on a
local cluster (2 threads in one process, or 2 processes that each open careshift and
memory-map the artefacts). All three outputs must be identical; the report says so.
The static skill model (``CARESHIFT_SKILL_MODEL=wordllama``) runs the same way under
``static``, on LINK_BATCH_DOCS_STATIC documents (default 2,000: at ~200 documents/s fewer
would time mostly the cluster's start).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from benchmarks._linking import careshift_with_esco
from benchmarks.link_skills import _documents, _english_labels, _sentences
from careshift.services.link_batch import run_link_batch
from careshift.services.linking import link_skills

_CHUNK = 64


def run() -> dict[str, object]:
    report = _run_model("", int(os.environ.get("LINK_BATCH_DOCS", "160")))
    report["static"] = _run_model(
        "wordllama", int(os.environ.get("LINK_BATCH_DOCS_STATIC", "2000"))
    )
    return report


def _run_model(skill_model: str, count: int) -> dict[str, object]:
    careshift = careshift_with_esco(skill_model=skill_model)
    try:
        uri_of = _english_labels(careshift)
        sentences = [s for name in ("tech", "house") for s, _ in _sentences(name, uri_of)]
        documents = _documents(sentences, count=count)
        link_skills(careshift, documents[:2], "en", 10)  # load model and indexes once
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "ads.jsonl"
            source.write_text(
                "\n".join(json.dumps({"id": i, "text": d}) for i, d in enumerate(documents)),
                encoding="utf-8",
            )
            report: dict[str, object] = {"documents": count, "words_each": 150}
            started = time.perf_counter()
            loop = []
            for first in range(0, count, _CHUNK):
                loop += link_skills(careshift, documents[first : first + _CHUNK], "en", 10)
            seconds = time.perf_counter() - started
            report["in_process_docs_per_s"] = round(count / seconds, 2)
            expected = [r.as_json()["results"] for r in loop]
            for mode, processes in (("dask_threads", False), ("dask_processes", True)):
                out = Path(folder) / f"{mode}.jsonl"
                summary = run_link_batch(careshift, source, out, top=10, processes=processes)
                lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
                same = [line["results"] for line in lines] == json.loads(json.dumps(expected))
                report[mode] = {
                    "docs_per_s": summary["texts_per_second"],
                    "seconds_incl_cluster_start": summary["seconds"],
                    "same_results_as_in_process": same,
                }
        return report
    finally:
        careshift.close()
