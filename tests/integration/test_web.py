"""The web shell over a real store: sign-in, CSRF, cookies, headers, languages, tokens, audit."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift
from careshift.domain.access import SYSTEM, Role
from careshift.entrypoints.api.app import create_app
from careshift.services import accounts, audit, tokens
from tests.support.accounts import csrf_of, make_account, make_institution, sign_in


@pytest.fixture
def client(careshift: Careshift) -> Iterator[TestClient]:
    with TestClient(create_app(careshift), raise_server_exceptions=False) as test_client:
        yield test_client


def test_pages_carry_the_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_signing_in_sets_an_httponly_samesite_cookie_and_lands_on_next(
    careshift: Careshift, client: TestClient
) -> None:
    email = make_account(careshift, Role.ADMIN)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "email": email,
            "password": "test-password-123",
            "csrf_token": token,
            "next": "/admin/audit",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/audit"
    cookie = response.headers["set-cookie"]
    assert "careshift_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie


def test_the_session_cookie_is_secure_behind_a_tls_proxy(
    careshift: Careshift, client: TestClient
) -> None:
    email = make_account(careshift, Role.ADMIN)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": "test-password-123", "csrf_token": token},
        headers={"x-forwarded-proto": "https"},
        follow_redirects=False,
    )
    assert "Secure" in response.headers["set-cookie"]
    assert "strict-transport-security" in response.headers


def test_a_form_without_the_right_csrf_token_is_refused(
    careshift: Careshift, client: TestClient
) -> None:
    email = make_account(careshift, Role.ADMIN)
    client.get("/login")
    response = client.post(
        "/login", data={"email": email, "password": "test-password-123", "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert "careshift_session" not in response.headers.get("set-cookie", "")


def test_a_signed_in_form_needs_the_sessions_own_token(
    careshift: Careshift, client: TestClient
) -> None:
    sign_in(client, make_account(careshift, Role.ADMIN))
    anonymous_token = client.cookies.get("careshift_csrf")
    response = client.post("/language", data={"lang": "sv", "csrf_token": anonymous_token})
    assert response.status_code == 403


def test_a_cross_site_origin_is_refused_even_with_a_token(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/language",
        data={"lang": "sv", "csrf_token": token},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403


def test_a_private_page_sends_anonymous_readers_to_sign_in(client: TestClient) -> None:
    response = client.get("/admin/audit", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/admin/audit"


def test_the_open_redirect_is_closed(careshift: Careshift, client: TestClient) -> None:
    email = make_account(careshift, Role.ANALYST)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "email": email,
            "password": "test-password-123",
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_html_lang_follows_the_browser_then_the_switch_then_the_account(
    careshift: Careshift, client: TestClient
) -> None:
    page = client.get("/login", headers={"accept-language": "sv-SE,sv;q=0.9"})
    assert '<html lang="sv">' in page.text and "Logga in" in page.text
    client.post("/language", data={"lang": "nb", "csrf_token": csrf_of(page.text), "next": "/"})
    assert '<html lang="nb">' in client.get("/login").text
    email = make_account(careshift, Role.ANALYST)
    sign_in(client, email)
    page = client.get("/account")
    client.post("/language", data={"lang": "sv", "csrf_token": csrf_of(page.text)})
    user_id = accounts.user_id_by_email(careshift, email)
    assert accounts.get_account(careshift, user_id).language == "sv"
    client.cookies.clear()
    sign_in(client, email)
    assert '<html lang="sv">' in client.get("/", headers={"accept-language": "en"}).text


def test_sign_in_is_throttled_with_a_429_page(careshift: Careshift, client: TestClient) -> None:
    email = make_account(careshift, Role.ANALYST)
    token = csrf_of(client.get("/login").text)
    statuses = [
        client.post(
            "/login", data={"email": email, "password": "wrong-password!", "csrf_token": token}
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]


def test_personal_data_api_answers_401_to_anonymous_and_403_to_other_roles(
    careshift: Careshift, client: TestClient
) -> None:
    anonymous = client.get("/api/v1/audit")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    sign_in(client, make_account(careshift, Role.HR, make_institution(careshift)))
    assert client.get("/api/v1/audit").status_code == 403
    assert client.get("/admin/audit").status_code == 403


def test_a_read_token_reads_but_cannot_write(careshift: Careshift, client: TestClient) -> None:
    email = make_account(careshift, Role.ADMIN)
    user_id = accounts.user_id_by_email(careshift, email)
    owner = accounts.principal_for(accounts.get_account(careshift, user_id))
    token = tokens.create_token(careshift, user_id, "ci", ["read"], by=owner)
    auth = {"authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=auth).json()["email"] == email
    write = client.put("/api/v1/me/language", headers=auth, json={"language": "nb"})
    assert write.status_code == 403
    assert "scope" in write.json()["detail"]
    assert client.get("/api/v1/me", headers={"authorization": "Bearer cs_nope"}).status_code == 403


def test_a_cookie_write_to_the_api_needs_the_csrf_header(
    careshift: Careshift, client: TestClient
) -> None:
    sign_in(client, make_account(careshift, Role.ADMIN))
    assert client.put("/api/v1/me/language", json={"language": "nb"}).status_code == 403
    page = client.get("/account").text
    with_header = client.put(
        "/api/v1/me/language", json={"language": "nb"}, headers={"x-csrf-token": csrf_of(page)}
    )
    assert with_header.status_code == 200 and with_header.json()["language"] == "nb"


def test_administrators_read_and_export_the_audit_log(
    careshift: Careshift, client: TestClient
) -> None:
    sign_in(client, make_account(careshift, Role.ADMIN))
    page = client.get("/api/v1/audit?action=login").json()
    assert page["total"] == 1 and page["entries"][0]["action"] == "login"
    exported = client.get("/api/v1/audit/export?format=csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.text.splitlines()[0].startswith("id,at,actor,action")
    assert len(client.get("/api/v1/audit/export?format=json").json()) >= 3
    html = client.get("/admin/audit").text
    assert re.search(r"<td>login</td>", html)
    assert client.get("/api/v1/audit?action=export").json()["total"] == 2


def test_the_audit_log_exported_as_csv_runs_no_recorded_text_as_a_formula(
    careshift: Careshift, client: TestClient
) -> None:
    # a subject can be a name someone chose, such as an imported catalogue's file name
    with careshift.store.transaction() as session:
        audit.record(session, SYSTEM, "create", "catalogue", '=HYPERLINK("x").csv')
    sign_in(client, make_account(careshift, Role.ADMIN))
    exported = client.get("/api/v1/audit/export?format=csv")
    subjects = [row["subject_id"] for row in csv.DictReader(io.StringIO(exported.text))]
    assert '\'=HYPERLINK("x").csv' in subjects
    assert client.get("/api/v1/audit/export?format=json").json()[0]["subject_id"] == (
        '=HYPERLINK("x").csv'
    )


def test_an_administrator_creates_an_account_and_hands_over_a_reset_code(
    careshift: Careshift, client: TestClient
) -> None:
    sign_in(client, make_account(careshift, Role.ADMIN))
    page = client.get("/admin/accounts")
    created = client.post(
        "/admin/accounts",
        data={"email": "new@example.org", "display_name": "New", "csrf_token": csrf_of(page.text)},
    )
    code = re.search(r"<code>([^<]+)</code>", created.text).group(1)  # type: ignore[union-attr]
    client.cookies.clear()
    form = client.get(f"/reset-password?token={code}")
    done = client.post(
        "/reset-password",
        data={
            "token": code,
            "password": "my-own-password",
            "confirm": "my-own-password",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert done.status_code == 200
    sign_in(client, "new@example.org", "my-own-password")


def test_an_id_beyond_the_database_range_is_a_422_not_a_500(
    careshift: Careshift, client: TestClient
) -> None:
    sign_in(client, make_account(careshift, Role.HR, make_institution(careshift)))
    response = client.get(f"/api/v1/workers/{2**70}")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
