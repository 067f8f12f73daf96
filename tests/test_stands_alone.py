"""The project stands on its own: nothing reads outside the checkout, and the domain reference
it points to (docs/domain.md) explains every section of the law the code cites."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = re.compile(r"\.\./" + "shared|" + r"\bshared/(DOMAIN|slack)")
SECTION = re.compile(r"\bs\.(\d+[A-Z]?)(\(\d+[A-Z]?\))?")


def tracked(*patterns: str) -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", *patterns], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [ROOT / line for line in out.splitlines() if (ROOT / line).is_file()]


def test_no_file_in_the_repository_points_outside_it() -> None:
    files = tracked("*.py", "*.md", "*.yaml", "*.toml", "*.ini", "Makefile", ".ci/*")
    assert len(files) > 50
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert offenders == []


def test_the_readme_links_the_projects_own_domain_reference() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/domain.md)" in readme
    assert (ROOT / "docs/domain.md").exists()


def test_every_section_the_code_cites_is_explained_in_docs_domain() -> None:
    cited = {
        m.group(1)
        for path in tracked("lom_bot/*.py")
        for m in SECTION.finditer(path.read_text(encoding="utf-8"))
    }
    assert {"16", "6", "22E", "25", "18"} <= cited
    explained = {m.group(1) for m in SECTION.finditer((ROOT / "docs/domain.md").read_text())}
    assert cited - explained == set()
