"""Inline directives in each template/markup comment syntax, and unknown ids reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import write


def findings(run_cli, path: Path) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    result = run_cli("lint", "--format", "json", "--select", "PM104,PM102", str(path))
    return [(d["rule"], d["line"], d["column"]) for d in json.loads(result.out)["diagnostics"]]


@pytest.mark.parametrize(
    ("suffix", "disable", "enable"),
    [
        (
            ".md",
            "<!-- postmaster-lint: disable PM104 -->",
            "<!-- postmaster-lint: enable PM104 -->",
        ),
        (
            ".html",
            "<!--postmaster-lint: disable exception-request-->",
            "<!-- postmaster-lint: enable -->",
        ),
        (".j2", "{# postmaster-lint: disable PM104 #}", "{# postmaster-lint: enable PM104 #}"),
        (
            ".hbs",
            "{{!-- postmaster-lint: disable PM104 --}}",
            "{{! postmaster-lint: enable PM104 }}",
        ),
        (
            ".liquid",
            "{% comment %} postmaster-lint: disable PM104 {% endcomment %}",
            "{% comment %}postmaster-lint: enable PM104{% endcomment %}",
        ),
    ],
)
def test_disable_and_enable_a_region(
    run_cli, tmp_path: Path, suffix: str, disable: str, enable: str
) -> None:
    text = (
        f"Please whitelist us.\n{disable}\nPlease whitelist us.\n{enable}\nPlease whitelist us.\n"
    )
    path = write(tmp_path, f"draft{suffix}", text)
    assert findings(run_cli, path) == [("PM104", 1, 8), ("PM104", 5, 8)]


def test_disable_next_line_and_disable_everything(run_cli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.md",
        "<!-- postmaster-lint: disable-next-line PM104, PM102 -->\n"
        "Please whitelist us. We are deeply sorry.\n"
        "Please whitelist us.\n"
        "<!-- postmaster-lint: disable -->\n"
        "We are deeply sorry. Please whitelist us.\n",
    )
    assert findings(run_cli, path) == [("PM104", 3, 8)]


def test_a_trailing_disable_covers_its_own_line(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "d.md", "Please whitelist us. <!-- postmaster-lint: disable PM104 -->\n")
    assert findings(run_cli, path) == []


def test_unknown_rule_in_a_directive_is_reported_where_it_is(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "d.md", "Hi.\n<!-- postmaster-lint: disable PM104, PM1O4 -->\n")
    result = run_cli("lint", "--format", "concise", "--select", "PM104", str(path))
    assert result.out.splitlines() == [
        f"{path}:2:38: PM000 Unknown rule 'PM1O4' in a directive (did you mean 'PM104'?)."
    ]
    assert result.code == 1
