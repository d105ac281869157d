"""Load test: 50 users on the main pages and API of a served careshift, SQLite and PostgreSQL.

For each backend: the demo (``services.demo.prepare_demo``: starter framework, an ESCO sample,
the synthetic hospital, one account per role) goes into a temporary data directory (and, for
PostgreSQL, a throw-away cluster); ``careshift serve`` runs it on a free port in its own process;
a separate load process (``benchmarks._load_users``) runs the users for the set time. Visitors
search the taxonomy and open occupations and skills; workers, signed in with a session cookie,
open their profile and pathways pages and the matching API and chart; HR staff (token or
cookie) read the staff list, profiles, pathways, exposure and gap charts and their pages; union
representatives read session results. Each user waits a think time between requests.

Reports, per backend, p50/p95/p99 latency, throughput and errors (any status other than 200,
or no answer), and the slowest requests by p95. Target: p95 < 150 ms with 0 errors.

Environment (all optional): ``API_LOAD_SECONDS`` (60), ``API_LOAD_USERS`` (50),
``API_LOAD_THINK_MS`` (mean think time, 1000; 0 = flat out), ``API_LOAD_WORKERS`` (server
processes, 1), ``API_LOAD_BACKENDS`` ("sqlite,postgresql"), ``API_LOAD_ESCO_DIR`` (the ESCO
download to import; default the small sample in tests/data/esco_mini).
"""

from __future__ import annotations

import collections
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select
from tests.support import postgres

from benchmarks._common import REPO, percentile
from careshift import bootstrap, load_settings
from careshift.adapters.db.tables.accounts import user_account
from careshift.adapters.db.tables.platform import institution
from careshift.adapters.db.tables.workforce import engagement_session, worker
from careshift.services import accounts, tokens
from careshift.services.demo import prepare_demo
from careshift.services.demo_accounts import DEMO_PASSWORD, HOSPITAL
from careshift.services.requirements import role_index
from careshift.services.search import search

TARGET_P95_MS = 150.0
TERMS = ("nurse", "phlebotomy", "blood", "records", "care", "hygiene", "ecg", "sykepleier",
         "sjuksköterska", "patient", "medical", "infection")  # fmt: skip


def _setting(name: str, default: str) -> str:
    return os.environ.get(f"API_LOAD_{name}", "") or default


def run() -> dict[str, Any]:
    config = {
        "seconds": float(_setting("SECONDS", "60")),
        "users": int(_setting("USERS", "50")),
        "think_ms": float(_setting("THINK_MS", "1000")),
        "server_workers": int(_setting("WORKERS", "1")),
        "esco_dir": _setting("ESCO_DIR", str(REPO / "tests" / "data" / "esco_mini")),
    }
    results: dict[str, Any] = {"config": config, "target_p95_ms": TARGET_P95_MS}
    for backend in _setting("BACKENDS", "sqlite,postgresql").split(","):
        if backend == "sqlite":
            results["sqlite"] = _measure("", config)
        elif not postgres.available():
            results[backend] = {"error": "PostgreSQL is not installed (make system-deps)"}
        else:
            with postgres.throwaway_cluster() as url:
                results[backend] = _measure(url, config)
    return results


def _measure(database_url: str, config: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="careshift-load-") as folder:
        data_dir = Path(folder) / "var"
        database_url = database_url or f"sqlite:///{data_dir / 'careshift.db'}"
        started = time.perf_counter()
        plan = _prepare(database_url, data_dir, Path(config["esco_dir"]))
        prepared_s = time.perf_counter() - started
        port = _free_port()
        plan.update(config, base_url=f"http://127.0.0.1:{port}", password=DEMO_PASSWORD)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CARESHIFT_")}
        env.update(CARESHIFT_DATABASE_URL=database_url, CARESHIFT_DATA_DIR=str(data_dir))
        server = subprocess.Popen(
            [sys.executable, "-c", "from careshift.entrypoints.cli import main; main()", "serve",
             "--port", str(port), "--workers", str(config["server_workers"])],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            _wait_until_up(plan["base_url"], server)
            _load({**plan, "seconds": 5.0, "users": 6, "think_ms": 0.0})  # warm every path
            report = _report(_load({**plan, "server_pid": server.pid}))
            report["load_average_1m"] = round(os.getloadavg()[0], 1)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        report["prepare_s"] = round(prepared_s, 1)
        return report


def _prepare(database_url: str, data_dir: Path, esco_dir: Path) -> dict[str, Any]:
    """Load the demo; return the ids and credentials the users need."""
    settings = load_settings(database_url=database_url, data_dir=data_dir, esco_dir=esco_dir)
    careshift = bootstrap(settings)
    try:
        for _ in prepare_demo(careshift):
            pass
        hr_id = accounts.user_id_by_email(careshift, "hr@demo")
        hr = accounts.principal_for(accounts.get_account(careshift, hr_id))
        with careshift.store.sessions() as session:
            hospital = session.scalar(
                select(institution.c.id).where(institution.c.code == HOSPITAL)
            )
            own = session.execute(
                select(user_account.c.email, user_account.c.worker_id)
                .where(user_account.c.worker_id.is_not(None))
                .order_by(user_account.c.email)
            ).all()
            staff = session.scalars(
                select(worker.c.id).where(worker.c.institution_id == hospital).order_by(worker.c.id)
            ).all()
            session_id = session.scalar(select(engagement_session.c.id).limit(1))
        return {
            "hospital_id": hospital,
            "session_id": session_id,
            "worker_emails": [email for email, _ in own],
            "worker_ids": [worker_id for _, worker_id in own],
            "staff_ids": list(staff),
            "hr_email": "hr@demo",
            "union_email": "union@demo",
            "hr_token": tokens.create_token(careshift, hr_id, "load", ["read"], days=1, by=hr),
            "psa_uri": role_index(careshift).resolve("patient_service_associate"),
            "occupation_uri": search(careshift, "nurse", kind="occupation")[0].uri,
            "skill_uri": search(careshift, "blood", kind="skill")[0].uri,
            "terms": list(TERMS),
        }
    finally:
        careshift.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"careshift serve exited with {server.returncode}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("careshift serve did not answer /healthz within 120 s")


def _load(plan: dict[str, Any]) -> dict[str, Any]:
    """Run the users in their own process; return its JSON (elapsed_s and samples)."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks._load_users", json.dumps(plan)],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=plan["seconds"] + 300,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _report(load: dict[str, Any]) -> dict[str, Any]:
    samples: list[tuple[str, int, float]] = [tuple(s) for s in load["samples"]]  # type: ignore[misc]
    latencies = [ms for _, _, ms in samples]
    by_label: dict[str, list[float]] = collections.defaultdict(list)
    errors: collections.Counter[str] = collections.Counter()
    for label, status, ms in samples:
        by_label[label].append(ms)
        if status != 200:
            errors[f"{label}: {status or 'no answer'}"] += 1
    slowest = sorted(by_label, key=lambda label: -percentile(by_label[label], 95))[:6]
    p95 = percentile(latencies, 95)
    return {
        "requests": len(samples),
        "throughput_rps": round(len(samples) / load["elapsed_s"], 1),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": p95,
        "p99_ms": percentile(latencies, 99),
        "max_ms": round(max(latencies), 1) if latencies else None,
        "errors": sum(errors.values()),
        "errors_by_request": dict(errors.most_common(10)),
        "slowest_p95_ms": {label: percentile(by_label[label], 95) for label in slowest},
        # Latency depends on what else the machine runs; CPU per request much less so.
        "server_cpu_ms_per_request": round(1000 * load["server_cpu_s"] / max(len(samples), 1), 1),
        "meets_target": p95 < TARGET_P95_MS and not errors,
    }
