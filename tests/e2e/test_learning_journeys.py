"""The learning journey in a real browser: the academy's cohort calendar and attendance, the
worker's courses and credentials, and HR approving a request (demo data)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import playwright_api, shoot, sign_in

Page = playwright_api.Page
expect = playwright_api.expect
pytestmark = pytest.mark.e2e


def test_the_academy_sees_the_cohort_calendar_and_a_sessions_attendance(page: Page) -> None:
    sign_in(page, "academy@demo")
    nav = page.get_by_role("navigation", name="Main menu")
    nav.get_by_role("link", name="Cohorts").click()
    expect(page.locator("h1")).to_have_text("Cohort calendar")
    cards = page.locator(".session-card")
    expect(cards.first).to_be_visible()
    expect(page.locator("main")).to_contain_text("seats taken")
    shoot(page, "academy-cohort-calendar")
    # The finished DIG-101 cohort is in an earlier month: follow the month links back to it.
    for _ in range(3):
        if page.locator(".session-card", has_text="Digital skills at work").count():
            break
        page.get_by_role("link", name="Previous month").click()
    page.locator(".session-card", has_text="Digital skills at work").first.locator("a").click()
    expect(page.locator("main table tbody tr").first).to_contain_text("completed")
    assert page.locator("main table tbody tr").count() == 12
    shoot(page, "academy-attendance")
    nav.get_by_role("link", name="Course outcomes").click()
    expect(page.locator("main table")).to_contain_text("Digital skills at work")
    shoot(page, "academy-outcomes")
    nav.get_by_role("link", name="Programmes").click()
    expect(page.locator("main")).to_contain_text("Digital front desk")


def test_a_worker_sees_courses_and_downloads_a_credential_then_hr_approves_a_request(
    page: Page,
) -> None:
    sign_in(page, "worker@demo")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My courses").click()
    expect(page.locator("h1")).to_have_text("My courses and credentials")
    expect(page.locator("main")).to_contain_text("Digital skills at work")
    expect(page.locator("progress").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download signed credential (JWT)").first.click()
    token = download.value.path().read_text()
    assert token.count(".") == 2
    page.select_option("#request-session", index=0)
    page.fill("#request-reason", "I want to help patients at the front desk.")
    page.get_by_role("button", name="Send request to HR").click()
    expect(page.locator(".notice")).to_contain_text("sent to HR")
    shoot(page, "worker-courses-credentials")
    page.context.clear_cookies()
    sign_in(page, "hr@demo")
    page.goto("/hr/approvals")
    card = page.locator(".request-card", has_text="I want to help patients").first
    card.get_by_role("button", name="Approve").click()
    expect(page.locator(".notice")).to_contain_text("approved")
    shoot(page, "hr-approvals")


def test_learning_pages_fit_a_360_pixel_screen(browser: object, server: str) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 360, "height": 740})  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        for who, paths in (
            ("academy@demo", ("/academy/cohorts", "/academy/outcomes", "/academy/programmes")),
            ("hr@demo", ("/hr/approvals",)),
            ("worker@demo", ("/me/learning",)),
        ):
            context.clear_cookies()
            sign_in(page, who)
            for path in paths:
                page.goto(path)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 360, f"{path} is {width}px wide"
        shoot(page, "mobile-worker-courses")  # the worker's page, the last one visited
    finally:
        context.close()
