"""Invariants every lint must keep, whatever it is fed; shared by the property tests and by
the longer fuzz run in fuzz/run.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
from hypothesis import strategies as st

from postmaster_lint import LintConfig, get_linter, lint_text
from postmaster_lint.errors import UserError
from postmaster_lint.inputs import decode
from postmaster_lint.output import render_json, render_sarif
from postmaster_lint.results import FileResult

SARIF = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
FORMATS = ("plain", "markdown", "html", "eml")
FRAGMENTS = (
    "<div>", "</div>", "<p>", "</p>", "<b>", "<script>", "</script>", "<!--", "-->", "&amp;",
    "&nbsp;", "&#x1F600;", "&bogus;", "{{ smtp_code }}", "{{", "}}", "{% if x %}", "{% endif %}",
    "{#", "#}", "{{!-- c --}}", "```", "`", "**", "_", "[link](http://x)", "> ", "\n", "\r\n",
    "\r", "\t", " ", "whitelist", "we are not spammers", "deeply sorry", "why are we blocked?",
    "550 5.7.1", "192.0.2.1", "example.com", "Subject: ", "Content-Transfer-Encoding: base64\n",
    "=C3=A9", "=\n", "-- \n", "Thanks,\n", "On Mon, x wrote:\n", "😀", "é", "\x00", "\x1b",
    "<!-- postmaster-lint: disable PM104 -->", "WE ARE LOSING", "!!!",
)  # fmt: skip

soup = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
text = st.one_of(st.text(max_size=400), soup)


def check_lint_invariants(source: str, fmt: str) -> None:
    """No exception escapes; every span lies in the source and its text is the source slice;
    positions agree with offsets; the JSON form parses; a second run is identical."""
    path = {"plain": "d.txt", "markdown": "d.md", "html": "d.html", "eml": "d.eml"}[fmt]
    config = LintConfig()
    try:
        first = lint_text(source, config, path)
    except UserError:
        return  # a one-line, named error is an allowed outcome
    for d in first:
        assert 0 <= d.start <= d.end <= len(source), d
        expected = source[d.start : d.end]
        if not any("\udc80" <= ch <= "\udcff" for ch in expected):
            assert d.text == expected, (d.text, expected)
        breaks = list(re.finditer(r"\r\n|\r|\n", source[: d.start]))
        line_start = breaks[-1].end() if breaks else 0
        assert d.line == len(breaks) + 1
        assert d.column == d.start - line_start + 1
        json.dumps(d.to_dict())
    assert lint_text(source, config, path) == first
    result = FileResult(path, tuple(first), source=source)
    json.loads(render_json([result]))
    jsonschema.validate(json.loads(render_sarif([result], list(get_linter().rules))), SARIF)


def check_decode(data: bytes) -> None:
    """Bytes become text or a one-line InputError, nothing else."""
    try:
        decode(data, "d.txt")
    except UserError as exc:
        assert "\n" not in exc.render()
