"""Every setting is documented in the README settings table, and the table names no other."""

from __future__ import annotations

import re

from careshift.config import Settings
from tests.conftest import REPO


def documented_settings() -> set[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(CARESHIFT_[A-Z_]+)` \|", section, flags=re.MULTILINE))


def test_every_setting_appears_in_the_readme_settings_table() -> None:
    expected = {f"CARESHIFT_{name.upper()}" for name in Settings.model_fields}
    assert expected - documented_settings() == set()


def test_the_readme_settings_table_names_only_real_settings() -> None:
    expected = {f"CARESHIFT_{name.upper()}" for name in Settings.model_fields}
    assert documented_settings() - expected == set()
