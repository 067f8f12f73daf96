"""requirements.lock pins every runtime and dev dependency pyproject.toml declares, at versions
its specifiers allow: `make run`, `make test` and CI install exactly these (README, "Updating
dependencies")."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", re.MULTILINE)


def pinned() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + project["optional-dependencies"]["dev"]
    return [Requirement(r) for r in names]


def test_every_declared_dependency_is_pinned_at_a_version_pyproject_allows() -> None:
    pins = pinned()
    missing = [str(r) for r in declared() if canonicalize_name(r.name) not in pins]
    assert missing == [], f"run `make lock`: {missing} not in requirements.lock"
    outside = [
        f"{r.name}=={pins[canonicalize_name(r.name)]} (pyproject: {r.specifier})"
        for r in declared()
        if not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)
    ]
    assert outside == [], f"run `make lock`: {outside}"


def test_the_makefile_installs_from_the_lock_and_ci_goes_through_the_makefile() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet -r $(LOCK)" in makefile and "LOCK := requirements.lock" in makefile
    assert "--no-deps -e ." in makefile  # the project itself resolves nothing more
    assert "make test" in (ROOT / ".ci" / "run").read_text()
