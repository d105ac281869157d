"""Every role's main journey in a real browser (Debian chromium through Playwright)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import playwright_api, shoot, sign_in

Page = playwright_api.Page
expect = playwright_api.expect
pytestmark = pytest.mark.e2e

# A CV as people write them: one line per duty.
CV = """Patient service associate, outpatient clinic, 2019-2025.
Phlebotomy and blood sampling techniques.
ECG recording for patients before consultations.
Peer training of new colleagues."""


def test_a_worker_sees_pathways_confirms_cv_suggested_skills_and_sees_the_plan(
    page: Page,
) -> None:
    sign_in(page, "worker@demo")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My pathways").click()
    expect(page.locator("h1")).to_have_text("Pathways")
    expect(page.locator("table tbody tr").first).to_be_visible()
    shoot(page, "worker-pathways")
    page.goto("/me/profile")
    page.fill("#cv-text", CV)
    page.get_by_role("button", name="Suggest skills").click()
    suggestions = page.locator("#suggestions select")
    expect(suggestions.first).to_be_visible()
    shoot(page, "worker-cv-suggestions")
    suggestions.first.select_option("4")
    page.get_by_role("button", name="Confirm these skills").click()
    expect(page.locator(".notice")).to_be_visible()
    expect(page.locator("main")).to_contain_text("text suggestion")
    page.goto("/me/pathways")
    expect(page.get_by_role("heading", name="What to learn").first).to_be_visible()
    shoot(page, "worker-plan")


def test_a_union_representative_creates_a_session_and_sees_only_suppressed_aggregates(
    page: Page,
) -> None:
    sign_in(page, "union@demo")
    page.goto("/union/sessions")
    page.select_option("#institution", label="Riverside General Hospital")
    page.get_by_role("button", name="Show").click()
    page.fill("#session-title", "Digital skills check")
    page.get_by_role("button", name="Create session").click()
    expect(page.locator("h1")).to_have_text("Digital skills check")
    page.get_by_role("button", name="Invite everyone in the institution").click()
    expect(page.locator(".notice")).to_contain_text("new invitations")
    expect(page.locator("main")).to_contain_text("Answers per skill and level")
    # The demo's PSA survey has 38 answers: small counts (and their complements) show as "*".
    page.goto("/union/sessions/1")
    expect(page.locator("main")).to_contain_text("Only totals are shown")
    body = page.locator("main table").last.inner_text()
    assert re.search(r"\d", body)
    assert "*" in body
    assert "employee" not in body.lower()
    shoot(page, "union-session-results")


def test_hr_sees_the_role_impact_with_headcount(page: Page) -> None:
    sign_in(page, "hr@demo")
    page.goto("/hr/impact")
    expect(page.locator("h1")).to_have_text("Role impact")
    rows = page.locator("main table").first.locator("tbody tr")
    assert rows.count() >= 3
    expect(page.locator("main")).to_contain_text("Full-time equivalents at risk")
    shoot(page, "hr-role-impact")
    page.goto("/hr/gaps")
    expect(page.locator("h1")).to_have_text("Staff gaps")
    shoot(page, "hr-staff-gaps")


def test_an_education_coordinator_matches_students_to_placements(page: Page) -> None:
    sign_in(page, "education@demo")
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="Practice placements").click()
    expect(page.locator("h1")).to_have_text("Practice placements")
    expect(page.locator("caption").first).to_have_text(
        "Placements needed and offered per period and type"
    )
    assert page.locator("main table").last.locator("tbody tr").count() >= 1
    shoot(page, "education-placements")
    menu.get_by_role("link", name="Students").click()
    expect(page.locator("h1")).to_have_text("Students")


def test_the_language_switch_serves_norwegian_and_swedish_and_remembers(page: Page) -> None:
    page.goto("/login")
    page.select_option("#language-choice", "nb")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator("h1")).to_have_text("Logg inn")
    page.goto("/taxonomy")
    expect(page.locator("h1")).to_have_text("Ferdigheter og yrker")
    shoot(page, "taxonomy-nb")
    page.select_option("#language-choice", "sv")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_text("Färdigheter och yrken")
    page.goto("/login")
    expect(page.locator("h1")).to_have_text("Logga in")


def test_searching_phlebotomy_finds_it(page: Page) -> None:
    page.goto("/taxonomy")
    page.fill("#q", "phlebotomy")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".results")).to_contain_text("phlebotomy")
    shoot(page, "taxonomy-search")


def test_pages_fit_a_360_pixel_screen_without_sideways_scrolling(
    browser: object, server: str
) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 360, "height": 740})  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        sign_in(page, "hr@demo")
        for path in ("/", "/taxonomy?q=phlebotomy", "/hr/impact", "/hr/gaps", "/union/sessions/1"):
            page.goto(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} is {width}px wide"
        shoot(page, "mobile-union-results")
    finally:
        context.close()


def test_a_worker_reaches_every_self_assessment_level_on_a_360_pixel_screen(
    browser: object, server: str
) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 360, "height": 740})  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        sign_in(page, "worker@demo")
        page.goto("/me/profile")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"/me/profile is {width}px wide"
        # The wide table scrolls in its own box: its last column comes into view and each
        # row's skill stays beside its level.
        row = page.locator("main table tbody tr").last
        row.locator("select").scroll_into_view_if_needed()
        for part in (row.locator("th"), row.locator("select")):
            box = part.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shoot(page, "mobile-worker-profile")
    finally:
        context.close()


def test_a_form_with_a_forged_csrf_token_is_refused(page: Page) -> None:
    page.goto("/login")
    page.fill("#email", "admin@demo")
    page.fill("#password", "careshift-demo")
    page.evaluate("document.querySelector('main input[name=csrf_token]').value = 'forged'")
    with page.expect_response(lambda r: r.url.endswith("/login")) as answered:
        page.click("main button[type=submit]")
    assert answered.value.status == 403
    expect(page.locator("h1")).to_have_text("You do not have access to this page")


def test_a_worker_cannot_open_another_workers_profile(page: Page) -> None:
    sign_in(page, "worker@demo")
    mine = page.request.get("/api/v1/me").json()["worker_id"]
    assert page.goto(f"/workers/{mine}/profile").status == 200  # type: ignore[union-attr]
    response = page.goto(f"/workers/{mine + 1}/profile")
    assert response is not None and response.status == 403
    api = page.request.get(f"/api/v1/charts/pathways/{mine + 1}")
    assert api.status == 403


def test_an_analyst_sees_dashboards_drawn_by_vega_beside_their_tables(page: Page) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    sign_in(page, "analyst@demo")
    page.goto("/analyst/dashboards")
    expect(page.locator("h1")).to_have_text("Dashboards")
    expect(page.locator(".chart canvas").first).to_be_visible(timeout=15000)
    assert page.locator("main table").count() == 3
    assert errors == [], errors  # no CSP violation, no script error
    shoot(page, "analyst-dashboards")


def test_an_administrator_reads_the_audit_log_of_personal_data_reads(page: Page) -> None:
    sign_in(page, "admin@demo")
    page.goto("/admin/audit?action=login")
    expect(page.locator("main table tbody tr").first).to_contain_text("login")
    shoot(page, "admin-audit")
    page.goto("/admin/accounts")
    expect(page.locator("main table")).to_contain_text("worker@demo")


def test_every_form_field_on_every_page_has_a_label(page: Page) -> None:
    unlabeled = """() => [...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label'))
        .map(e => e.name || e.id)"""
    for who, paths in (
        ("worker@demo", ("/", "/me/profile", "/me/pathways", "/me/learning", "/account")),
        ("hr@demo", ("/hr/impact", "/hr/gaps", "/union/sessions", "/analyst/dashboards")),
        ("academy@demo", ("/academy/catalogue", "/taxonomy?q=ecg")),
        ("admin@demo", ("/admin/accounts", "/admin/audit")),
    ):
        page.context.clear_cookies()
        sign_in(page, who)
        for path in paths:
            page.goto(path)
            assert page.evaluate(unlabeled) == [], path
            assert (
                page.locator("main#main").count() == 1 and page.locator("a.skip-link").count() == 1
            )
