"""The simulated users of the load benchmark: who asks for what, and the timing of each answer.

Runs in its own process (``python -m benchmarks._load_users PLAN.json``), so the load generator
never shares a GIL with the server it measures. Each virtual user signs in the way its kind of
user would (web pages with a session cookie, machine clients with a personal access token),
then loops until the deadline: pick a request by weight, send it, record status and latency,
wait a think time. Prints one JSON object: the measured seconds, the server's CPU seconds in
that time, and every sample as (label, status, milliseconds).
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import sys
import time
from dataclasses import dataclass
from typing import Any

import httpx
import psutil

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Persona:
    """One kind of user: how it signs in and the weighted requests it makes."""

    name: str
    #: "anonymous", "cookie:<email>" or "token:<token>"
    sign_in: str
    #: (label, path with query, weight); ``{me}`` is ``worker_id``
    requests: tuple[tuple[str, str, int], ...]
    #: the worker record of a worker's own account
    worker_id: int | None = None


def personas(plan: dict[str, Any]) -> list[Persona]:
    """The request mix over the demo data described by ``plan`` (see benchmarks.api_load)."""
    hospital, session, psa = plan["hospital_id"], plan["session_id"], plan["psa_uri"]
    occupation, skill = plan["occupation_uri"], plan["skill_uri"]
    public = (
        ("healthz", "/healthz", 1),
        ("api search", "/api/v1/search?q={term}", 4),
        ("api occupation", f"/api/v1/occupations/{occupation}", 2),
        ("api skill", f"/api/v1/skills/{skill}", 1),
        ("page taxonomy search", "/taxonomy?q={term}", 2),
        ("page home", "/", 1),
    )
    worker = (
        ("page my profile", "/me/profile", 2),
        ("page my pathways", "/me/pathways", 2),
        ("api worker profile", "/api/v1/workers/{me}/profile", 2),
        ("api worker pathways", "/api/v1/pathways/workers/{me}", 2),
        ("api pathways chart", "/api/v1/charts/pathways/{me}", 1),
        ("api me", "/api/v1/me", 1),
        ("api search", "/api/v1/search?q={term}", 1),
    )
    hr = (
        ("api institution workers", f"/api/v1/institutions/{hospital}/workers", 1),
        ("api worker profile", "/api/v1/workers/{staff}/profile", 3),
        ("api worker pathways", "/api/v1/pathways/workers/{staff}", 1),
        ("api exposure chart", "/api/v1/charts/exposure", 1),
        ("api group gaps chart",
         f"/api/v1/charts/group-gaps?institution_id={hospital}&role_uri={psa}", 1),
        ("page hr impact", f"/hr/impact?institution_id={hospital}", 1),
        ("page hr gaps", f"/hr/gaps?institution_id={hospital}", 1),
    )  # fmt: skip
    union = (
        ("api session results", f"/api/v1/sessions/{session}/results", 2),
        ("api session chart", f"/api/v1/charts/session-results/{session}", 1),
        ("page union sessions", f"/union/sessions?institution_id={hospital}", 1),
        ("api exposure chart", "/api/v1/charts/exposure", 1),
    )
    workers = [
        Persona("worker", f"cookie:{email}", worker, worker_id)
        for email, worker_id in zip(plan["worker_emails"], plan["worker_ids"], strict=True)
    ]
    return [
        Persona("visitor", "anonymous", public),
        *workers,
        Persona("hr", f"token:{plan['hr_token']}", tuple(r for r in hr if r[0].startswith("api"))),
        Persona("hr", f"cookie:{plan['hr_email']}", hr),
        Persona("union", f"cookie:{plan['union_email']}", union),
    ]


async def _sign_in(client: httpx.AsyncClient, persona: Persona, password: str) -> None:
    how, _, secret = persona.sign_in.partition(":")
    if how == "token":
        client.headers["authorization"] = f"Bearer {secret}"
    elif how == "cookie":
        found = _CSRF.search((await client.get("/login")).text)
        if found is None:
            raise RuntimeError("the login page has no CSRF field")
        form = {"email": secret, "password": password, "csrf_token": found.group(1)}
        answer = await client.post("/login", data=form)
        if answer.status_code != 303:
            raise RuntimeError(f"sign-in of {secret} answered {answer.status_code}")


async def _user(
    number: int,
    plan: dict[str, Any],
    persona: Persona,
    client: httpx.AsyncClient,
    deadline: float,
) -> list[tuple[str, int, float]]:
    rng = random.Random(number)
    think = plan["think_ms"] / 1000
    labels = [r[0] for r in persona.requests]
    paths = [r[1] for r in persona.requests]
    weights = [r[2] for r in persona.requests]
    samples: list[tuple[str, int, float]] = []
    await asyncio.sleep(rng.uniform(0, think))  # users do not all click at the same moment
    while time.monotonic() < deadline:
        index = rng.choices(range(len(paths)), weights)[0]
        path = paths[index].format(
            term=rng.choice(plan["terms"]),
            me=persona.worker_id,
            staff=rng.choice(plan["staff_ids"]),
        )
        started = time.perf_counter()
        try:
            status = (await client.get(path)).status_code
        except httpx.HTTPError:
            status = 0
        samples.append((labels[index], status, (time.perf_counter() - started) * 1000))
        if think:
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
    return samples


def _server_cpu_seconds(pid: int | None) -> float:
    """CPU time used so far by the server and its worker processes (0 when not given)."""
    if pid is None:
        return 0.0
    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


async def _load(plan: dict[str, Any]) -> dict[str, Any]:
    """Sign every user in first (a password check is slow by design and not what we measure),
    then run them all until the deadline; return the measured seconds, the server's CPU
    seconds in that time and the samples."""
    kinds = personas(plan)
    chosen = [kinds[n % len(kinds)] for n in range(plan["users"])]
    clients = [httpx.AsyncClient(base_url=plan["base_url"], timeout=30.0) for _ in chosen]
    try:
        gate = asyncio.Semaphore(4)

        async def sign_in(client: httpx.AsyncClient, persona: Persona) -> None:
            async with gate:
                await _sign_in(client, persona, plan["password"])

        await asyncio.gather(*(sign_in(c, p) for c, p in zip(clients, chosen, strict=True)))
        cpu = _server_cpu_seconds(plan.get("server_pid"))
        started = time.perf_counter()
        deadline = time.monotonic() + plan["seconds"]
        results = await asyncio.gather(
            *(
                _user(n, plan, persona, client, deadline)
                for n, (persona, client) in enumerate(zip(chosen, clients, strict=True))
            )
        )
        elapsed = time.perf_counter() - started
        cpu = _server_cpu_seconds(plan.get("server_pid")) - cpu
    finally:
        for client in clients:
            await client.aclose()
    samples = [sample for user in results for sample in user]
    return {"elapsed_s": elapsed, "server_cpu_s": cpu, "samples": samples}


def main() -> None:
    json.dump(asyncio.run(_load(json.loads(sys.argv[1]))), sys.stdout)


if __name__ == "__main__":
    main()
