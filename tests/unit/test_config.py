from __future__ import annotations

from pathlib import Path

import pytest

from careshift import load_settings
from careshift.errors import ConfigError


def test_unknown_database_scheme_is_refused_with_the_variable_name() -> None:
    with pytest.raises(ConfigError, match="CARESHIFT_DATABASE_URL"):
        load_settings(database_url="mysql://x")


def test_missing_esco_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="CARESHIFT_ESCO_DIR"):
        load_settings(esco_dir=tmp_path / "nope")


def test_cell_size_below_three_is_refused() -> None:
    with pytest.raises(ConfigError, match="at least 3"):
        load_settings(min_cell_size=2)


def test_typo_in_a_variable_name_is_not_silently_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARESHIFT_DATABSE_URL", "sqlite:///x.db")
    with pytest.raises(ConfigError, match="DATABSE"):
        load_settings()


def test_default_database_is_sqlite_under_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.effective_database_url == f"sqlite:///{tmp_path.resolve()}/careshift.db"
