"""The workforce REST API with real accounts and access tokens: tenancy, problems, surveys."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update

from careshift import Careshift
from careshift.adapters.db.tables import taxonomy as tx
from careshift.domain.access import SYSTEM, Role
from careshift.entrypoints.api.app import create_app
from careshift.errors import InputError
from careshift.services.accounts import create_user, grant
from careshift.services.institutions import add_institution, list_institutions
from careshift.services.tokens import create_token
from tests.support.workforce import (
    PSA,
    REGISTRATION,
    load_small_framework,
    make_hospital,
    make_staff,
    write_hr_csv,
)


@pytest.fixture
def client(careshift: Careshift) -> Iterator[TestClient]:
    load_small_framework(careshift)
    with TestClient(create_app(careshift), raise_server_exceptions=False) as test_client:
        yield test_client


def bearer(careshift: Careshift, email: str, role: Role, institution_id: int) -> dict[str, str]:
    user_id = create_user(careshift, email, email)
    grant(careshift, user_id, role, institution_id, by=SYSTEM)
    token = create_token(careshift, user_id, "test", ["read", "write"], by=SYSTEM)
    return {"Authorization": f"Bearer {token}"}


def import_staff(
    client: TestClient, institution_id: int, csv_path: Path, headers: dict[str, str]
) -> Response:
    with csv_path.open("rb") as handle:
        return client.post(
            f"/api/v1/institutions/{institution_id}/workers/import",
            files={"file": (csv_path.name, handle, "text/csv")},
            headers=headers,
        )


def test_hr_imports_and_reads_only_its_own_institution(
    careshift: Careshift, client: TestClient, tmp_path: Path
) -> None:
    mine, theirs = make_hospital(careshift, "A").id, make_hospital(careshift, "B").id
    hr = bearer(careshift, "hr@a.test", Role.HR, mine)
    csv_path = write_hr_csv(tmp_path / "staff.csv", make_staff(6))
    response = import_staff(client, mine, csv_path, hr)
    assert response.status_code == 200, response.text
    assert response.json() == {"created": 6, "updated": 0, "unchanged": 0}
    listed = client.get(f"/api/v1/institutions/{mine}/workers", headers=hr).json()
    assert [w["employee_number"] for w in listed][:2] == ["E00001", "E00002"]
    denied = client.get(f"/api/v1/institutions/{theirs}/workers", headers=hr)
    assert denied.status_code == 403
    assert denied.headers["content-type"] == "application/problem+json"
    anonymous = client.get(f"/api/v1/workers/{listed[0]['id']}")
    assert anonymous.status_code == 401


def test_a_bad_upload_is_a_422_problem_naming_line_and_field(
    careshift: Careshift, client: TestClient, tmp_path: Path
) -> None:
    mine = make_hospital(careshift).id
    rows = make_staff(3)
    rows[2]["role"] = "astronaut"
    csv_path = write_hr_csv(tmp_path / "staff.csv", rows)
    response = import_staff(client, mine, csv_path, bearer(careshift, "hr@a.test", Role.HR, mine))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        "staff.csv:4 field 'role': unknown role 'astronaut' (give a role URI or code from "
        "the taxonomy)"
    ]


@pytest.mark.parametrize(
    ("name", "blob", "says"),
    [
        # a field of 200,000 characters, over the limit the csv_field_limit fixture sets
        ("staff.csv", b"employee_number,name,role\nE1,A," + b"y" * 200_000, ":2: not valid CSV"),
        ("staff.xlsx", b"not a zip archive", ": not an Excel workbook"),
    ],
)
def test_an_upload_the_file_readers_refuse_is_a_422_problem(
    careshift: Careshift,
    client: TestClient,
    name: str,
    blob: bytes,
    says: str,
    csv_field_limit: int,
) -> None:
    mine = make_hospital(careshift).id
    response = client.post(
        f"/api/v1/institutions/{mine}/workers/import",
        files={"file": (name, blob)},
        headers=bearer(careshift, "hr@a.test", Role.HR, mine),
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0].startswith(f"{name}{says}")


def test_a_union_survey_runs_from_invitation_to_aggregate_results(
    careshift: Careshift, client: TestClient
) -> None:
    mine = make_hospital(careshift).id
    hr = bearer(careshift, "hr@a.test", Role.HR, mine)
    for row in make_staff(6):
        created = client.post(f"/api/v1/institutions/{mine}/workers", json=row, headers=hr)
        assert created.status_code == 201, created.text
    union = bearer(careshift, "rep@a.test", Role.UNION, mine)
    made = client.post(
        f"/api/v1/institutions/{mine}/sessions", json={"title": "PSA", "role": PSA}, headers=union
    )
    assert made.status_code == 201, made.text
    session_id = made.json()["id"]
    links = client.post(f"/api/v1/sessions/{session_id}/invitations", json={}, headers=union)
    tokens = [i["token"] for i in links.json()]
    assert len(tokens) == 6
    for token in tokens:
        answered = client.post(f"/api/v1/survey/{token}", json={"levels": {REGISTRATION: 2}})
        assert answered.status_code == 204, answered.text
    again = client.post(f"/api/v1/survey/{tokens[0]}", json={"levels": {REGISTRATION: 3}})
    assert again.status_code == 409
    report = client.get(f"/api/v1/sessions/{session_id}/results", headers=union).json()
    registration = next(s for s in report["skills"] if s["skill_uri"] == REGISTRATION)
    assert (registration["levels"]["2"], registration["below_required"]) == (6, 6)
    worker_id = client.get(f"/api/v1/institutions/{mine}/workers", headers=hr).json()[0]["id"]
    assert client.get(f"/api/v1/workers/{worker_id}/profile", headers=union).status_code == 403
    gaps = client.get(f"/api/v1/institutions/{mine}/gaps?target={PSA}&by=none", headers=union)
    assert gaps.status_code == 200 and gaps.json()["headcount"] == 6


def test_bad_levels_are_a_422_problem(careshift: Careshift, client: TestClient) -> None:
    mine = make_hospital(careshift).id
    hr = bearer(careshift, "hr@a.test", Role.HR, mine)
    worker = client.post(
        f"/api/v1/institutions/{mine}/workers", json=make_staff(1)[0], headers=hr
    ).json()
    for levels in ({REGISTRATION: 9}, {"urn:nope": 3}):
        response = client.post(
            f"/api/v1/workers/{worker['id']}/ratings", json={"levels": levels}, headers=hr
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"


def test_a_worker_assesses_and_exports_only_their_own_data(
    careshift: Careshift, client: TestClient
) -> None:
    mine = make_hospital(careshift).id
    hr = bearer(careshift, "hr@a.test", Role.HR, mine)
    ids = [
        client.post(f"/api/v1/institutions/{mine}/workers", json=row, headers=hr).json()["id"]
        for row in make_staff(2)
    ]
    user_id = create_user(careshift, "me@a.test", "Me", worker_id=ids[0])
    grant(careshift, user_id, Role.WORKER, mine, by=SYSTEM)
    token = create_token(careshift, user_id, "phone", ["read", "write"], by=SYSTEM)
    me = {"Authorization": f"Bearer {token}"}
    own = client.post(
        f"/api/v1/workers/{ids[0]}/self-assessment", json={"levels": {REGISTRATION: 4}}, headers=me
    )
    assert own.status_code == 204, own.text
    other = client.post(
        f"/api/v1/workers/{ids[1]}/self-assessment", json={"levels": {REGISTRATION: 4}}, headers=me
    )
    assert other.status_code == 403
    exported = client.get(f"/api/v1/workers/{ids[0]}/export", headers=me)
    assert exported.status_code == 200
    assert [e["level"] for e in exported.json()["evidence"]] == [4]
    assert client.get(f"/api/v1/workers/{ids[1]}/export", headers=me).status_code == 403
    gap = client.get(f"/api/v1/workers/{ids[0]}/gaps", headers=me).json()
    assert {s["skill_uri"]: s["current"] for s in gap["skills"]}[REGISTRATION] == 4


def test_a_new_institution_under_a_missing_parent_or_a_padded_taken_code_is_a_problem(
    careshift: Careshift, client: TestClient
) -> None:
    make_hospital(careshift, "H1")
    user_id = create_user(careshift, "admin@a.test", "Admin")
    grant(careshift, user_id, Role.ADMIN, None, by=SYSTEM)
    admin = {
        "Authorization": f"Bearer {create_token(careshift, user_id, 't', ['write'], by=SYSTEM)}"
    }
    orphan = client.post(
        "/api/v1/institutions", json={"code": "X", "name": "X", "parent_id": 999}, headers=admin
    )
    assert orphan.status_code == 422
    assert "parent institution 999 does not exist" in orphan.json()["detail"]
    padded = client.post("/api/v1/institutions", json={"code": " H1 ", "name": "H"}, headers=admin)
    assert padded.status_code == 409


def test_text_with_a_nul_character_is_a_422_naming_the_field_and_stores_nothing(
    careshift: Careshift, client: TestClient, tmp_path: Path
) -> None:
    # PostgreSQL cannot store NUL and SQLite would: both backends must answer alike.
    mine = make_hospital(careshift).id
    hr = bearer(careshift, "hr@a.test", Role.HR, mine)
    row = {**make_staff(1)[0], "name": "Kari\x00Nordmann"}
    response = client.post(f"/api/v1/institutions/{mine}/workers", json=row, headers=hr)
    assert response.status_code == 422, response.text
    assert "field 'name': contains a control character" in response.json()["detail"]
    rows = make_staff(3)
    rows[2]["name"] = "Ola\x00"
    csv_path = write_hr_csv(tmp_path / "staff.csv", rows)
    imported = import_staff(client, mine, csv_path, hr)
    assert imported.status_code == 422, imported.text
    assert imported.json()["errors"] == [
        "staff.csv:4 field 'name': contains a control character (such as NUL); remove it"
    ]
    assert client.get(f"/api/v1/institutions/{mine}/workers", headers=hr).json() == []


def test_the_store_refuses_nul_in_any_text_on_both_backends_and_keeps_nothing(
    careshift: Careshift,
) -> None:
    # Text no reader checked (here an institution's name) meets the store's own guard.
    with pytest.raises(InputError, match=r"^name: the text contains a NUL character"):
        add_institution(careshift, "H9", "Hospital\x00 Nine", "hospital")
    with pytest.raises(InputError, match=r"^name: the text is not valid Unicode .* character 10"):
        add_institution(careshift, "H9", "Hospital \ud800 Nine", "hospital")
    assert [i.code for i in list_institutions(careshift)] == []


def test_a_lone_surrogate_in_a_json_body_is_a_422_naming_the_field_and_stores_nothing(
    careshift: Careshift, client: TestClient
) -> None:
    # JSON's "\\ud800" decodes to a lone surrogate, which neither database driver can encode
    mine = make_hospital(careshift).id
    hr = bearer(careshift, "hr@a.test", Role.HR, mine)
    row = json.dumps({**make_staff(1)[0], "name": "Kari Nordmann"}).replace(
        "Kari Nordmann", "Kari \\ud800 Nordmann"
    )
    response = client.post(
        f"/api/v1/institutions/{mine}/workers",
        content=row.encode("ascii"),
        headers={**hr, "content-type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert "not valid Unicode" in response.json()["detail"]
    assert client.get(f"/api/v1/institutions/{mine}/workers", headers=hr).json() == []


def test_a_posted_worker_over_a_text_limit_is_a_422_naming_the_field_and_stores_nothing(
    careshift: Careshift, client: TestClient
) -> None:
    mine = make_hospital(careshift).id
    hr = bearer(careshift, "hr@a.test", Role.HR, mine)
    row = {**make_staff(1)[0], "name": "n" * 1_500_000, "unit_code": "u" * 500_000}
    response = client.post(f"/api/v1/institutions/{mine}/workers", json=row, headers=hr)
    assert response.status_code == 422, response.text[:500]
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert fields == {
        "body.name": "String should have at most 200 characters",
        "body.unit_code": "String should have at most 40 characters",
    }
    assert client.get(f"/api/v1/institutions/{mine}/workers", headers=hr).json() == []


def test_an_imported_unit_code_over_40_characters_is_a_422_naming_line_and_field(
    careshift: Careshift, client: TestClient, tmp_path: Path
) -> None:
    mine = make_hospital(careshift).id
    hr = bearer(careshift, "hr@a.test", Role.HR, mine)
    rows = make_staff(3)
    rows[1]["unit_code"] = "U" * 41
    response = import_staff(client, mine, write_hr_csv(tmp_path / "staff.csv", rows), hr)
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [
        "staff.csv:3 field 'unit_code': is longer than 40 characters (41)"
    ]
    assert client.get(f"/api/v1/institutions/{mine}/workers", headers=hr).json() == []


def test_a_lone_surrogate_in_the_unit_name_is_a_422_naming_unit_name(
    careshift: Careshift, client: TestClient, tmp_path: Path
) -> None:
    # the unit's name is stored in a column called name: the store's guard would say "name"
    mine = make_hospital(careshift).id
    hr = bearer(careshift, "hr@a.test", Role.HR, mine)
    row = json.dumps({**make_staff(1)[0], "unit_name": "WARD"}).replace("WARD", "\\ud800")
    response = client.post(
        f"/api/v1/institutions/{mine}/workers",
        content=row.encode("ascii"),
        headers={**hr, "content-type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [
        {
            "field": "body.unit_name",
            "message": "the text is not valid Unicode (a lone surrogate such as \\ud800)",
        }
    ]


def upload_as(
    client: TestClient, institution_id: int, filename: bytes, blob: bytes, headers: dict[str, str]
) -> Response:
    """A multipart upload whose file name is sent byte for byte (httpx would escape some)."""
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + blob + b"\r\n--b--\r\n"
    )
    return client.post(
        f"/api/v1/institutions/{institution_id}/workers/import",
        content=body,
        headers={**headers, "content-type": "multipart/form-data; boundary=b"},
    )


@pytest.mark.parametrize(
    ("filename", "says"),
    [
        (b"s" * 256 + b".csv", "the file name is longer than 255 characters; rename the file"),
        (b"staff\x00.csv", "the file name contains a control character; rename the file"),
        (b"staff.pdf", "staff.pdf: expected a .csv or .xlsx file"),
    ],
)
def test_an_upload_name_no_file_could_have_is_a_422_not_a_crash(
    careshift: Careshift, client: TestClient, tmp_path: Path, filename: bytes, says: str
) -> None:
    mine = make_hospital(careshift).id
    blob = write_hr_csv(tmp_path / "staff.csv", make_staff(2)).read_bytes()
    hr = bearer(careshift, "hr@a.test", Role.HR, mine)
    response = upload_as(client, mine, filename, blob, hr)
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == says


def test_the_upload_name_labels_messages_but_is_not_a_path(
    careshift: Careshift, client: TestClient, tmp_path: Path
) -> None:
    mine = make_hospital(careshift).id
    hr = bearer(careshift, "hr@a.test", Role.HR, mine)
    rows = make_staff(2)
    rows[1]["role"] = "astronaut"
    blob = write_hr_csv(tmp_path / "staff.csv", rows).read_bytes()
    response = upload_as(client, mine, b"../" + b"s" * 200 + b".CSV", blob, hr)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0].startswith("s" * 200 + ".CSV:3 field 'role'")


def test_a_chart_exported_as_csv_runs_no_label_as_a_formula(
    careshift: Careshift, client: TestClient
) -> None:
    # a local framework's labels are typed by people: one could be a formula
    with careshift.store.transaction() as session:
        session.execute(
            update(tx.label)
            .where(tx.label.c.text == "Patient registration")
            .values(text='=HYPERLINK("http://evil.example")')
        )
    careshift.invalidate("taxonomy:")
    mine = make_hospital(careshift).id
    hr = bearer(careshift, "hr@a.test", Role.HR, mine)
    for row in make_staff(6):
        client.post(f"/api/v1/institutions/{mine}/workers", json=row, headers=hr)
    response = client.get(
        "/api/v1/charts/gaps-by-competence",
        params={"institution_id": mine, "role_uri": PSA, "format": "csv"},
        headers=hr,
    )
    assert response.status_code == 200, response.text
    skills = [row[0] for row in csv.reader(io.StringIO(response.text))][1:]
    assert sorted(skills) == [
        "'=HYPERLINK(\"http://evil.example\")", "Basic triage", "Payment handling",
    ]  # fmt: skip
