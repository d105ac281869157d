"""``python -m careshift`` runs the same command line as the ``careshift`` script."""

from __future__ import annotations

import subprocess
import sys


def test_python_dash_m_careshift_lists_the_commands() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "careshift", "link", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "occupations" in done.stdout and "skills" in done.stdout
