"""Linking a pasted text to skills on a phone-sized screen, in a real browser."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import playwright_api, shoot, sign_in

Page = playwright_api.Page
expect = playwright_api.expect
pytestmark = pytest.mark.e2e

JOB_AD = """We are looking for a patient service associate for our outpatient clinic.
You take blood samples (phlebotomy) and record ECGs before consultations."""


def test_a_reader_links_a_pasted_text_to_skills_and_opens_a_concept(
    browser: object, server: str
) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 360, "height": 740})  # type: ignore[attr-defined]
    context.set_default_timeout(60_000)
    page: Page = context.new_page()
    try:
        sign_in(page, "worker@demo")
        page.goto("/taxonomy")
        page.get_by_role("link", name="Link a text to skills or occupations").click()
        expect(page.locator("h1")).to_have_text("Link a text to skills or occupations")
        page.fill("#link-text", JOB_AD)
        page.select_option("#link-kind", "skills")
        page.select_option("#link-lang", "en")
        page.get_by_role("button", name="Link the text").click()
        results = page.locator("#results")
        expect(results.locator("mark").first).to_be_visible()
        expect(results).to_contain_text("Likelihood:")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the linking page is {width}px wide"
        shoot(page, "mobile-link-text")
        concept = results.locator("ol.results a[href^='/taxonomy/concept?uri=']").first
        label = concept.inner_text()
        concept.click()
        page.wait_for_url(re.compile(r".*/taxonomy/concept\?uri="))
        expect(page.locator("h1")).to_contain_text(label)
    finally:
        context.close()
