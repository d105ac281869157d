"""Every REST route and page, for every role, on its own and another institution: allowed or
denied as the policy (services.access.RULES) says. The route list comes from the running app,
so a new route without a line in ROUTES fails this test until someone decides who may use it.

Allowed GETs must answer without 401/403 (and never 5xx); every denied request, whatever its
method, must answer 401 or 403 (a page sends anonymous readers to sign in). Allowed writes are
not sent here (they would change the data the rest of the matrix reads); their behaviour is
covered by each area's own tests. Runs on SQLite: the policy does not depend on the database.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from careshift import Careshift, bootstrap, load_settings
from careshift.domain.access import SYSTEM, Principal, Role
from careshift.entrypoints.api.app import create_app
from careshift.entrypoints.web.app import PAGES
from careshift.services import accounts, engagement, tokens, workers
from careshift.services.access import ANONYMOUS, Action, Resource, allowed, visible_institutions
from careshift.services.demo import STARTER_FRAMEWORK
from careshift.services.frameworks import load_framework
from tests.support.accounts import PASSWORD, csrf_of, make_institution

R, A = Resource, Action
PSA = "patient_service_associate"


@dataclass(frozen=True)
class Rule:
    #: ("public",), ("signed_in",) or (Resource, Action)
    access: tuple[Any, ...]
    #: what the own/other variants point at: none | worker | institution | session
    target: str = "none"
    query: dict[str, str] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    form: dict[str, str] | None = None
    #: raw body for YAML and file uploads: ("yaml", bytes) or ("file", bytes)
    raw: tuple[str, bytes] | None = None
    #: a second (Resource, Action) that also opens the route (a listing of both kinds)
    also: tuple[Resource, Action] | None = None
    #: the action touches every institution at once: only a principal of all of them may
    everywhere: bool = False


PUBLIC, SIGNED_IN = ("public",), ("signed_in",)
# A form that shows nothing yet: any signed-in reader, for an institution in their scope.
SCOPED_FORM = ("scoped_form",)
# A skill of the starter framework's patient service associate (valid input reaches the policy).
SKILL = "https://careshift.eu/framework/careshift-healthcare/skill/phlebotomy"
LEVELS = {"levels": {SKILL: 3}}
YAML = b"{}"

ROUTES: dict[tuple[str, str], Rule] = {
    # platform
    ("GET", "/healthz"): Rule(PUBLIC),
    ("GET", "/api/openapi.json"): Rule(PUBLIC),
    ("GET", "/api/docs"): Rule(PUBLIC),
    ("GET", "/docs/oauth2-redirect"): Rule(PUBLIC),
    ("GET", "/api/v1/audit"): Rule((R.AUDIT, A.READ)),
    ("GET", "/api/v1/audit/export"): Rule((R.AUDIT, A.EXPORT)),
    ("GET", "/api/v1/me"): Rule(SIGNED_IN),
    ("PUT", "/api/v1/me/language"): Rule(SIGNED_IN, json={"language": "nb"}),
    ("GET", "/api/v1/institutions"): Rule((R.INSTITUTION, A.READ)),
    ("POST", "/api/v1/institutions"): Rule(
        (R.INSTITUTION, A.WRITE), json={"code": "new", "name": "New"}, everywhere=True
    ),
    # taxonomy, linking, pathways of roles, exposure: public knowledge
    ("GET", "/api/v1/search"): Rule(PUBLIC, query={"q": "phlebotomy"}),
    ("GET", "/api/v1/occupations/{concept_id}"): Rule(PUBLIC),
    ("GET", "/api/v1/skills/{concept_id}"): Rule(PUBLIC),
    ("GET", "/api/v1/taxonomy"): Rule(PUBLIC),
    ("POST", "/api/v1/link/occupations"): Rule(PUBLIC, json={"texts": ["nurse"]}),
    ("POST", "/api/v1/link/skills"): Rule(PUBLIC, json={"texts": ["blood samples"]}),
    ("GET", "/api/v1/pathways/roles/{role_id}"): Rule(PUBLIC),
    ("POST", "/api/v1/pathways"): Rule(PUBLIC, json={"skills": {}}),
    ("GET", "/api/v1/exposure/{role_id}"): Rule(PUBLIC),
    ("POST", "/api/v1/exposure/overrides"): Rule(
        (R.ROLE_IMPACT, A.WRITE),
        json={"role": PSA, "category": "high", "reason": "local"},
        everywhere=True,
    ),
    # one worker's personal data
    ("GET", "/api/v1/workers/{worker_id}"): Rule((R.PERSON, A.READ), "worker"),
    ("DELETE", "/api/v1/workers/{worker_id}"): Rule((R.PERSON, A.ERASE), "worker"),
    ("GET", "/api/v1/workers/{worker_id}/profile"): Rule((R.PERSON, A.READ), "worker"),
    ("GET", "/api/v1/workers/{worker_id}/gaps"): Rule((R.PERSON, A.READ), "worker"),
    ("GET", "/api/v1/workers/{worker_id}/export"): Rule((R.PERSON, A.EXPORT), "worker"),
    ("GET", "/api/v1/pathways/workers/{worker_id}"): Rule((R.PERSON, A.READ), "worker"),
    ("GET", "/api/v1/charts/pathways/{worker_id}"): Rule((R.PERSON, A.READ), "worker"),
    ("POST", "/api/v1/workers/{worker_id}/self-assessment"): Rule(
        (R.PERSON, A.WRITE), "worker", json=LEVELS
    ),
    ("POST", "/api/v1/workers/{worker_id}/ratings"): Rule(
        (R.PERSON, A.WRITE), "worker", json={**LEVELS, "source": "supervisor"}
    ),
    ("POST", "/api/v1/workers/{worker_id}/suggestions"): Rule(
        (R.PERSON, A.READ), "worker", json={"text": "blood samples"}
    ),
    ("POST", "/api/v1/workers/{worker_id}/suggestions/accept"): Rule(
        (R.PERSON, A.WRITE), "worker", json=LEVELS
    ),
    ("GET", "/api/v1/institutions/{institution_id}/workers"): Rule(
        (R.PERSON, A.READ), "institution"
    ),
    ("POST", "/api/v1/institutions/{institution_id}/workers"): Rule(
        (R.PERSON, A.WRITE), "institution", json={"employee_number": "E9", "role": PSA}
    ),
    ("POST", "/api/v1/institutions/{institution_id}/workers/import"): Rule(
        (R.PERSON, A.WRITE), "institution", raw=("file", b"employee_number,role\n")
    ),
    # aggregates and engagement sessions
    ("GET", "/api/v1/institutions/{institution_id}/gaps"): Rule(
        (R.AGGREGATE, A.READ), "institution", query={"role": PSA}
    ),
    ("GET", "/api/v1/charts/group-gaps"): Rule((R.AGGREGATE, A.READ), "institution"),
    ("GET", "/api/v1/charts/gaps-by-competence"): Rule((R.AGGREGATE, A.READ), "institution"),
    ("GET", "/api/v1/charts/trained-by-year"): Rule((R.AGGREGATE, A.READ), "institution"),
    ("GET", "/api/v1/institutions/{institution_id}/sessions"): Rule(
        (R.ENGAGEMENT, A.READ), "institution"
    ),
    ("POST", "/api/v1/institutions/{institution_id}/sessions"): Rule(
        (R.ENGAGEMENT, A.WRITE), "institution", json={"title": "t", "role": PSA}
    ),
    ("POST", "/api/v1/sessions/{session_id}/invitations"): Rule(
        (R.ENGAGEMENT, A.WRITE), "session", json={}
    ),
    ("POST", "/api/v1/sessions/{session_id}/close"): Rule((R.ENGAGEMENT, A.WRITE), "session"),
    ("GET", "/api/v1/sessions/{session_id}/results"): Rule((R.AGGREGATE, A.READ), "session"),
    ("GET", "/api/v1/charts/session-results/{session_id}"): Rule((R.AGGREGATE, A.READ), "session"),
    # a survey link is its own credential (an unknown link is 404, never a person's data)
    ("GET", "/api/v1/survey/{token}"): Rule(PUBLIC),
    ("POST", "/api/v1/survey/{token}"): Rule(PUBLIC, json={"levels": {}}),
    # role impact and planning
    ("GET", "/api/v1/charts/exposure"): Rule((R.ROLE_IMPACT, A.READ)),
    ("POST", "/api/v1/planning/wisn"): Rule((R.PLANNING, A.READ), raw=("yaml", YAML)),
    ("POST", "/api/v1/planning/projections"): Rule((R.PLANNING, A.READ), raw=("yaml", YAML)),
    ("GET", "/api/v1/planning/projections/examples/{name}"): Rule((R.PLANNING, A.READ)),
    ("GET", "/api/v1/planning/charts/projections/{name}"): Rule((R.PLANNING, A.READ)),
    ("POST", "/api/v1/planning/placements/match"): Rule((R.PLACEMENT, A.READ), raw=("yaml", YAML)),
    ("POST", "/api/v1/planning/demand"): Rule(
        (R.PLANNING, A.READ),
        "institution",
        json={"institution_id": "{institution_id}", "posts": [{"role": PSA, "posts": 2}]},
    ),
    # learning (issue 6)
    ("GET", "/api/v1/courses"): Rule((R.CATALOGUE, A.READ)),
    ("GET", "/api/v1/courses/{code}"): Rule((R.CATALOGUE, A.READ)),
    ("GET", "/api/v1/learning/hours"): Rule(
        (R.CATALOGUE, A.READ), query={"skill": SKILL, "level": "3"}
    ),
    ("POST", "/api/v1/learning/plan"): Rule(
        (R.CATALOGUE, A.READ), json={"targets": [{"skill_uri": SKILL, "level": 3}]}
    ),
    ("GET", "/api/v1/workers/{worker_id}/learning-plan"): Rule((R.PERSON, A.READ), "worker"),
    ("POST", "/api/v1/enrolments"): Rule(
        (R.COHORT, A.WRITE), "worker", json={"worker_id": "{worker_id}", "course": "C1"}
    ),
    # ids naming nothing: those the rule allows anywhere get 404, everyone else 401/403
    ("POST", "/api/v1/enrolments/{enrolment_id}/complete"): Rule((R.COHORT, A.WRITE)),
    ("POST", "/api/v1/enrolments/{enrolment_id}/credential"): Rule((R.COHORT, A.WRITE)),
    ("POST", "/api/v1/programmes/{code}/plan"): Rule((R.COHORT, A.WRITE)),
    ("GET", "/api/v1/programmes/{code}/outcomes"): Rule((R.AGGREGATE, A.READ)),
    ("POST", "/api/v1/credentials/verify"): Rule(PUBLIC, json={"token": "not.a.credential"}),
    ("GET", "/api/v1/institutions/{institution_id}/trained-share"): Rule(
        (R.AGGREGATE, A.READ), "institution", query={"role": PSA}
    ),
    # academy, learners' records and HR approvals (issue 7)
    ("GET", "/api/v1/programmes"): Rule((R.CATALOGUE, A.READ)),
    ("GET", "/api/v1/course-sessions/open"): Rule((R.CATALOGUE, A.READ)),
    ("GET", "/api/v1/institutions/{institution_id}/cohort-calendar"): Rule(
        (R.COHORT, A.READ), "institution", query={"month": "2026-09"}
    ),
    ("GET", "/api/v1/course-sessions/{code}/attendance"): Rule((R.COHORT, A.READ)),
    ("POST", "/api/v1/enrolments/{enrolment_id}/attendance"): Rule(
        (R.COHORT, A.WRITE), json={"on": "2026-09-01", "hours": 2}
    ),
    ("GET", "/api/v1/institutions/{institution_id}/course-outcomes"): Rule(
        (R.AGGREGATE, A.READ), "institution"
    ),
    ("GET", "/api/v1/workers/{worker_id}/learning-record"): Rule((R.PERSON, A.READ), "worker"),
    ("GET", "/api/v1/workers/{worker_id}/credentials/{uid}"): Rule((R.PERSON, A.READ), "worker"),
    ("POST", "/api/v1/workers/{worker_id}/enrolment-requests"): Rule(
        (R.PERSON, A.WRITE), "worker", json={"session": "none"}
    ),
    ("GET", "/api/v1/institutions/{institution_id}/enrolment-requests"): Rule(
        (R.APPROVAL, A.READ), "institution"
    ),
    ("POST", "/api/v1/enrolment-requests/{request_id}/decision"): Rule(
        (R.APPROVAL, A.WRITE), json={"decision": "decline"}
    ),
    # planning (issue 8)
    ("GET", "/api/v1/planning/impact/{institution_id}"): Rule(
        (R.ROLE_IMPACT, A.READ), "institution"
    ),
    ("POST", "/api/v1/planning/impact/{institution_id}/overrides"): Rule(
        (R.ROLE_IMPACT, A.WRITE),
        "institution",
        json={"role": PSA, "task_id": "t", "change": "removed", "share": 0.1, "reason": "r"},
    ),
    ("GET", "/api/v1/planning/documents/{institution_id}"): Rule(
        (R.PLANNING, A.READ), "institution", also=(R.PLACEMENT, A.READ)
    ),
    ("PUT", "/api/v1/planning/documents/{institution_id}/{kind}/{name}"): Rule(
        (R.PLANNING, A.WRITE), "institution", raw=("yaml", YAML)
    ),
    ("GET", "/api/v1/planning/documents/{institution_id}/{kind}/{name}/result"): Rule(
        (R.PLANNING, A.READ), "institution"
    ),
    ("GET", "/api/v1/planning/documents/{institution_id}/projection/{name}/chart"): Rule(
        (R.PLANNING, A.READ), "institution"
    ),
    ("GET", "/planning/wisn"): Rule((R.PLANNING, A.READ)),
    ("POST", "/planning/wisn"): Rule((R.PLANNING, A.READ), form={"document": "{}"}),
    ("GET", "/planning/placements"): Rule((R.PLACEMENT, A.READ)),
    ("POST", "/planning/placements"): Rule((R.PLACEMENT, A.READ), form={"document": "{}"}),
    ("GET", "/planning/projections"): Rule((R.PLANNING, A.READ)),
    ("GET", "/planning/demand"): Rule(SCOPED_FORM, "institution"),
    ("POST", "/planning/demand"): Rule((R.PLANNING, A.READ), "institution", form={}),
    ("GET", "/planning/recruitment"): Rule((R.AGGREGATE, A.READ), "institution"),
    ("GET", "/planning/education"): Rule((R.PLACEMENT, A.READ)),
    ("POST", "/planning/education"): Rule((R.PLACEMENT, A.READ), form={"students": "x"}),
    ("GET", "/planning/impact"): Rule((R.ROLE_IMPACT, A.READ), "institution"),
    ("POST", "/planning/impact"): Rule(
        (R.ROLE_IMPACT, A.WRITE),
        "institution",
        form={"role_uri": PSA, "task_id": "t", "change": "removed", "share": "0.1", "reason": "r"},
    ),
    # pages
    ("GET", "/login"): Rule(PUBLIC),
    ("POST", "/login"): Rule(PUBLIC, form={"email": "x@y", "password": "p"}),
    ("POST", "/logout"): Rule(PUBLIC, form={}),
    ("GET", "/reset-password"): Rule(PUBLIC),
    ("POST", "/reset-password"): Rule(PUBLIC, form={"token": "t", "password": "p", "confirm": "p"}),
    ("POST", "/language"): Rule(PUBLIC, form={"lang": "nb"}),
    ("GET", "/login/oidc"): Rule(PUBLIC),
    ("GET", "/login/oidc/callback"): Rule(PUBLIC),
    ("GET", "/"): Rule(PUBLIC),
    ("GET", "/account"): Rule(SIGNED_IN),
    ("POST", "/account/language"): Rule(SIGNED_IN, form={"lang": "sv"}),
    ("POST", "/account/tokens"): Rule(SIGNED_IN, form={"name": "n", "scopes": "read"}),
    ("POST", "/account/tokens/{token_id}/revoke"): Rule(SIGNED_IN, form={}),
    ("GET", "/admin/accounts"): Rule((R.ACCOUNT, A.READ)),
    ("POST", "/admin/accounts"): Rule(
        (R.ACCOUNT, A.WRITE), form={"email": "n@example.org", "display_name": "N"}
    ),
    ("POST", "/admin/accounts/grant"): Rule(
        (R.ACCOUNT, A.WRITE), form={"user_id": "1", "role": "admin", "institution_id": "all"}
    ),
    ("POST", "/admin/accounts/{user_id}/revoke"): Rule(
        (R.ACCOUNT, A.WRITE), form={"role": "admin", "institution_id": "all"}
    ),
    ("POST", "/admin/accounts/{user_id}/reset"): Rule((R.ACCOUNT, A.WRITE), form={}),
    ("GET", "/admin/audit"): Rule((R.AUDIT, A.READ)),
    ("GET", "/taxonomy"): Rule(PUBLIC, query={"q": "phlebotomy"}),
    ("GET", "/taxonomy/concept"): Rule(PUBLIC),
    # linking a pasted text loads the embedding model: signed-in readers of the taxonomy only
    ("GET", "/taxonomy/link"): Rule(SIGNED_IN),
    ("POST", "/taxonomy/link"): Rule(SIGNED_IN, form={"text": ""}),
    ("GET", "/me/profile"): Rule((R.PERSON, A.READ), "self"),
    ("GET", "/me/pathways"): Rule((R.PERSON, A.READ), "self"),
    ("GET", "/me/learning"): Rule((R.PERSON, A.READ), "self"),
    ("POST", "/me/profile/assess"): Rule((R.PERSON, A.WRITE), "self", form={}),
    ("POST", "/me/profile/cv"): Rule((R.PERSON, A.READ), "self", form={"cv_text": "ECG"}),
    ("POST", "/me/profile/cv/accept"): Rule((R.PERSON, A.WRITE), "self", form={}),
    ("GET", "/workers/{worker_id}/profile"): Rule((R.PERSON, A.READ), "worker"),
    ("GET", "/workers/{worker_id}/pathways"): Rule((R.PERSON, A.READ), "worker"),
    ("GET", "/hr/impact"): Rule((R.ROLE_IMPACT, A.READ), "institution"),
    ("GET", "/hr/gaps"): Rule((R.AGGREGATE, A.READ), "institution"),
    ("GET", "/union/sessions"): Rule((R.ENGAGEMENT, A.READ), "institution"),
    ("POST", "/union/sessions"): Rule(
        (R.ENGAGEMENT, A.WRITE), "institution", form={"title": "t", "role_uri": PSA}
    ),
    ("GET", "/union/sessions/{session_id}"): Rule((R.AGGREGATE, A.READ), "session"),
    ("POST", "/union/sessions/{session_id}/invite"): Rule((R.ENGAGEMENT, A.WRITE), "session"),
    ("POST", "/union/sessions/{session_id}/close"): Rule((R.ENGAGEMENT, A.WRITE), "session"),
    ("GET", "/survey/{token}"): Rule(PUBLIC),
    ("POST", "/survey/{token}"): Rule(PUBLIC, form={}),
    ("GET", "/academy/catalogue"): Rule((R.CATALOGUE, A.READ)),
    ("GET", "/academy/programmes"): Rule((R.CATALOGUE, A.READ)),
    ("GET", "/academy/cohorts"): Rule((R.COHORT, A.READ), "institution"),
    ("GET", "/academy/sessions/{code}"): Rule((R.COHORT, A.READ)),
    ("POST", "/academy/sessions/{code}/attendance"): Rule(
        (R.COHORT, A.WRITE), form={"enrolment_id": "999999", "on": "2026-09-01", "hours": "2"}
    ),
    ("GET", "/academy/outcomes"): Rule((R.AGGREGATE, A.READ), "institution"),
    ("GET", "/hr/approvals"): Rule((R.APPROVAL, A.READ), "institution"),
    ("POST", "/hr/approvals/{request_id}"): Rule(
        (R.APPROVAL, A.WRITE), form={"decision": "decline"}
    ),
    ("POST", "/me/learning/requests"): Rule((R.PERSON, A.WRITE), "self", form={"session": "none"}),
    ("GET", "/me/credentials/{uid}"): Rule((R.PERSON, A.READ), "self"),
    ("GET", "/analyst/dashboards"): Rule((R.AGGREGATE, A.READ), "institution"),
}


@dataclass
class World:
    institution: dict[str, int]
    worker: dict[str, int]
    session: dict[str, int]
    principals: dict[str, Principal]
    tokens: dict[str, str]
    psa_uri: str


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers, from its route table walked through included
    routers (FastAPI keeps those as entries with ``effective_route_contexts``), so a route
    hidden from the OpenAPI schema or mounted outside PAGES needs a rule too. The schema and
    the page modules are added as well, in case a FastAPI upgrade changes that walk."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        expand = getattr(route, "effective_route_contexts", None)
        for entry in expand() if expand else [route]:
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", getattr(entry, "path", ""))
            methods = getattr(entry, "methods", None) or ()  # mounts (static files) have none
            found |= {(m, path) for m in methods if m != "HEAD"}
    found |= {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    for name in PAGES:
        module = importlib.import_module(f"careshift.entrypoints.web.pages.{name}")
        found |= {(m, r.path) for r in module.router.routes for m in r.methods if m != "HEAD"}
    return found


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Careshift, World]]:
    data_dir: Path = tmp_path_factory.mktemp("matrix")
    careshift = bootstrap(load_settings(data_dir=data_dir / "var"))
    load_framework(careshift, STARTER_FRAMEWORK)
    institution = {
        "own": make_institution(careshift, "A", "A"),
        "other": make_institution(careshift, "B", "B"),
    }

    worker = {
        side: workers.save_worker(
            careshift, SYSTEM, institution[side], {"employee_number": f"E-{side}", "role": PSA}
        ).id
        for side in ("own", "other")
    }
    psa_uri = workers.role_index(careshift).resolve(PSA)
    session = {
        side: engagement.create_session(
            careshift, SYSTEM, institution[side], side, role_uri=psa_uri
        ).id
        for side in ("own", "other")
    }
    principals: dict[str, Principal] = {"anonymous": ANONYMOUS}
    minted: dict[str, str] = {}
    for role in Role:
        email = f"{role.value}@matrix.example"
        user_id = accounts.create_user(
            careshift, email, role.value, password=PASSWORD,
            worker_id=worker["own"] if role is Role.WORKER else None,
        )  # fmt: skip
        accounts.grant(careshift, user_id, role, institution["own"])
        principal = accounts.principal_for(accounts.get_account(careshift, user_id))
        principals[role.value] = principal
        minted[role.value] = tokens.create_token(
            careshift, user_id, "matrix", ["read", "write"], by=principal
        )
    yield careshift, World(institution, worker, session, principals, minted, psa_uri)
    careshift.close()


def test_every_route_has_a_rule(world: tuple[Careshift, World]) -> None:
    careshift, _ = world
    routes = app_routes(create_app(careshift))
    missing = sorted(routes - set(ROUTES))
    stale = sorted(set(ROUTES) - routes)
    assert missing == [], f"routes without an authorisation rule in ROUTES: {missing}"
    assert stale == [], f"rules for routes that no longer exist: {stale}"


def _expected(rule: Rule, principal: Principal, world: World, side: str) -> bool:
    if rule.access == PUBLIC:
        return True
    if rule.access == SIGNED_IN:
        return principal != ANONYMOUS
    if rule.access == SCOPED_FORM:
        scope = principal.institutions
        in_scope = scope is None or world.institution[side] in scope
        return principal != ANONYMOUS and in_scope
    resource, action = rule.access
    if rule.everywhere and visible_institutions(principal, action, resource) is not None:
        return False
    institution = world.institution[side] if rule.target != "none" else None
    target_worker = None
    if rule.target in ("worker", "self"):
        target_worker = world.worker[side] if rule.target == "worker" else principal.worker_id
        if rule.target == "self":
            return principal.worker_id is not None and allowed(
                principal, action, resource, worker_id=target_worker
            )
    if rule.also is not None:
        also_resource, also_action = rule.also
        if allowed(principal, also_action, also_resource, institution_id=institution):
            return True
    return allowed(principal, action, resource, institution_id=institution, worker_id=target_worker)


def _url(path: str, rule: Rule, world: World, side: str) -> tuple[str, dict[str, str]]:
    values = {
        "worker_id": world.worker[side],
        "institution_id": world.institution[side],
        "session_id": world.session[side],
        "concept_id": "phlebotomy",
        "role_id": PSA,
        "token": "not-a-survey-link",
        "token_id": 999,
        "user_id": 1,
        "name": "hospital",
        "code": "none",
        "enrolment_id": 999_999,
        "request_id": 999_999,
        "uid": "urn:uuid:00000000-0000-0000-0000-000000000000",
        "kind": "wisn",
    }
    filled = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
    query = dict(rule.query)
    if rule.target == "institution" and "{institution_id}" not in path:
        query["institution_id"] = str(world.institution[side])
    if path.startswith("/api/v1/charts/") and rule.target == "institution":
        query["role_uri"] = world.psa_uri
    if path == "/taxonomy/concept":
        query["uri"] = world.psa_uri
    return filled, query


def _client(careshift: Careshift, world: World, who: str) -> TestClient:
    client = TestClient(create_app(careshift), raise_server_exceptions=False)
    if who != "anonymous":
        client.headers["authorization"] = f"Bearer {world.tokens[who]}"
        token = csrf_of(client.get("/login").text)
        client.post(
            "/login",
            data={"email": f"{who}@matrix.example", "password": PASSWORD, "csrf_token": token},
            headers={"authorization": ""},
        )
    return client


@pytest.mark.parametrize("who", ["anonymous", *(r.value for r in Role)])
def test_each_role_is_allowed_exactly_what_the_policy_says(
    world: tuple[Careshift, World], who: str
) -> None:
    careshift, state = world
    principal = state.principals[who]
    client = _client(careshift, state, who)
    page_csrf = csrf_of(client.get("/account" if who != "anonymous" else "/login").text)
    wrong = []
    for (method, path), rule in sorted(ROUTES.items()):
        is_page = not (path.startswith("/api") or path == "/healthz")
        for side in ("own", "other"):
            expected = _expected(rule, principal, state, side)
            if method != "GET" and expected:
                continue  # allowed writes change data; see the module docstring
            url, query = _url(path, rule, state, side)
            headers = {"authorization": ""} if is_page else {}
            if method == "GET":
                response = client.get(url, params=query, headers=headers, follow_redirects=False)
            elif rule.form is not None or is_page:
                form = {**(rule.form or {}), "csrf_token": page_csrf, **query}
                response = client.request(method, url, params=query, data=form, headers=headers)
            elif rule.raw is not None and rule.raw[0] == "file":
                files = {"file": ("staff.csv", rule.raw[1], "text/csv")}
                response = client.request(method, url, params=query, files=files)
            elif rule.raw is not None:
                yaml_type = {"content-type": "application/yaml"}
                response = client.request(
                    method, url, params=query, content=rule.raw[1], headers=yaml_type
                )
            else:
                ids = {
                    "{worker_id}": state.worker[side],
                    "{institution_id}": state.institution[side],
                }
                body = {
                    key: ids.get(value, value) if isinstance(value, str) else value
                    for key, value in (rule.json or {}).items()
                }
                response = client.request(method, url, params=query, json=body)
            denied = response.status_code in (401, 403) or (
                response.status_code == 303 and "/login?next=" in response.headers["location"]
            )
            if response.status_code >= 500 or denied == expected:
                wrong.append(f"{method} {url} ({side}): {response.status_code}, expected "
                             f"{'allow' if expected else 'deny'}")  # fmt: skip
    assert wrong == [], f"{who}:\n  " + "\n  ".join(wrong)
