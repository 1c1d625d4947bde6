"""The README opens with the two commands a fresh machine runs, and .ci/run runs the second."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _opening_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    return [line.split("   #")[0].strip() for line in block.strip().splitlines()]


def test_readme_opens_with_an_install_and_build_command_and_a_test_command():
    build, test = _opening_commands()
    assert "pip install ." in build and "kgraph build" in build
    assert "pip install '.[test]'" in test and "pytest" in test


def test_ci_runs_the_readme_test_command():
    _, test = _opening_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").replace("pip install -q ", "pip install ")
    assert test in ci
