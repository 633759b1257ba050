"""Each format is read as prose with exact positions back into the file; nothing inside tags,
code, quotes or signatures fires; placeholders supply required elements."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from postmaster_lint import LintConfig, check_text, lint_text
from postmaster_lint.readers import format_for

from .conftest import write

PM104 = LintConfig.create(select=["PM104"])


def spans(text: str, path: str, config: LintConfig = PM104) -> list[tuple[int, int, int, int, str]]:
    return [
        (d.line, d.column, d.end_line, d.end_column, d.text) for d in lint_text(text, config, path)
    ]


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("a.txt", "plain"),
        ("a.md", "markdown"),
        ("a.html", "html"),
        ("a.eml", "eml"),
        ("request.html.j2", "html"),
        ("request.md.liquid", "markdown"),
        ("a.hbs", "plain"),
        ("a.mustache", "plain"),
        ("noext", "plain"),
    ],
)
def test_reader_is_picked_by_extension(path: str, fmt: str) -> None:
    assert format_for(path) == fmt


# --- plain text -----------------------------------------------------------------------------


def test_plain_text_tabs_smart_quotes_and_multibyte() -> None:
    text = "Héllo “team” 😀\tplease whitelist us.\r\n"
    assert spans(text, "a.txt") == [(1, 23, 1, 32, "whitelist")]


# --- Markdown -------------------------------------------------------------------------------


MARKDOWN = """---
title: please whitelist us
---
# Request for **Ümlaut** GmbH

Please **whitelist** our IP, see [whitelist policy](https://example.com/whitelist).

```
please whitelist us
```

Inline `whitelist` code and <!-- please whitelist --> comment.

    indented code: whitelist

> We do not whitelist anyone.

![whitelist](img.png) and a bare https://example.com/whitelist link.
[ref]: https://example.com/whitelist
"""


def test_markdown_prose_only_with_exact_positions() -> None:
    assert spans(MARKDOWN, "a.md") == [
        (6, 10, 6, 19, "whitelist"),
        (6, 35, 6, 44, "whitelist"),
    ]


def test_markdown_emphasis_does_not_break_patterns() -> None:
    text = "We are **not spammers**, honestly.\n"
    config = LintConfig.create(select=["PM108"])
    assert spans("We are *not* spammers.\n", "a.md", config) == [
        (1, 1, 1, 22, "We are *not* spammers")
    ]
    assert spans(text, "a.md", config) == [(1, 1, 1, 22, "We are **not spammers")]


def test_markdown_front_matter_subject_is_the_first_line() -> None:
    """Only the subject of the front matter is read (as an .eml's Subject is): a domain there
    names the sender, and its pitfalls are the writer's own."""
    text = '---\nlayout: mail\nsubject: "URGENT: unblock example-shop.com"\n---\n\nHello.\n'
    config = LintConfig.create(select=["PM109", "PM206"])
    assert spans(text, "a.md", config) == [(3, 11, 3, 17, "URGENT")]
    _, [identity] = check_text(text, LintConfig.create(select=["PM206"]), "a.md")
    assert identity.evidence is not None
    assert (identity.evidence.line, identity.evidence.column) == (3, 27)
    assert identity.evidence.text == "example-shop.com"
    toml = '+++\nsubject = "Delisting request for example-shop.com"\n+++\nHello.\n'
    assert spans(toml, "a.md", config) == []
    no_subject = "---\nlayout: mail\nsubject:\n---\nHello from example-shop.com.\n"
    assert [d.line for d in lint_text(no_subject, config, "a.md")] == []


def test_a_domain_in_the_subject_line_names_the_sender() -> None:
    config = LintConfig.create(select=["PM206"])
    for path, text in [
        ("a.txt", "Subject: Delisting request for example-shop.com\n\nHello, please delist us.\n"),
        ("a.md", "Subject: Delisting request for example-shop.com\n\nHello.\n"),
        ("a.eml", eml("Hello, please delist us.\r\n", subject="Delisting example-shop.com")),
    ]:
        assert lint_text(text, config, path) == [], path


# --- HTML -----------------------------------------------------------------------------------


HTML = """<html><head><title>please whitelist us</title>
<style>.whitelist { color: red }</style></head>
<body>
<p>Dear team,</p>
<p>Please <b>whitelist</b> our IP &amp; domain.<br>We&nbsp;are&nbsp;not&nbsp;spammers.</p>
<a href="https://example.com/whitelist" title="please whitelist">our policy</a>
<script>var whitelist = true;</script>
<!-- please whitelist -->
<blockquote>We never whitelist anyone.</blockquote>
<div class="gmail_quote">On Monday you wrote: please do not ask us to whitelist you.</div>
<p>Ünïcödé, please <i>allowlist</i> us</p>
</body></html>
"""


def test_html_visible_text_only_with_exact_positions() -> None:
    assert spans(HTML, "a.html") == [
        (5, 14, 5, 23, "whitelist"),
        (11, 23, 11, 32, "allowlist"),
    ]


def test_html_entities_map_onto_the_whole_entity() -> None:
    config = LintConfig.create(select=["PM108"])
    assert spans(HTML, "a.html", config) == [(5, 52, 5, 86, "We&nbsp;are&nbsp;not&nbsp;spammers")]


def test_broken_html_still_reads() -> None:
    text = "<div><p>Please <b>whitelist</i> us<div></span><p>please<<<>>> <b>allowlist"
    assert [s[-1] for s in spans(text, "a.html")] == ["whitelist", "allowlist"]


# --- .eml -----------------------------------------------------------------------------------


def eml(body: str, headers: str = "", subject: str = "Unblock request") -> str:
    return (
        "From: Dana <dana@example-shop.com>\r\n"
        "To: postmaster@example.net\r\n"
        f"Subject: {subject}\r\n"
        "MIME-Version: 1.0\r\n"
        f"{headers}"
        "\r\n"
        f"{body}"
    )


def test_eml_subject_and_plain_body_positions() -> None:
    text = eml(
        "Hello,\r\nplease whitelist our IP.\r\n",
        "Content-Type: text/plain; charset=utf-8\r\n",
        subject="URGENT: please whitelist us",
    )
    assert spans(text, "a.eml") == [(3, 25, 3, 34, "whitelist"), (8, 8, 8, 17, "whitelist")]
    found = lint_text(text, LintConfig.create(select=["PM109"]), "a.eml")
    assert [(d.line, d.column, d.text) for d in found] == [(3, 10, "URGENT")]


def test_eml_quoted_printable_maps_to_the_encoded_sequence() -> None:
    body = "=C3=89quipe,\r\nplease white=\r\nlist our IP, caf=C3=A9 whitelist.\r\n"
    headers = (
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
    )
    found = lint_text(eml(body, headers), PM104, "a.eml")
    assert [(d.line, d.column, d.end_line, d.end_column, d.text) for d in found] == [
        (9, 8, 10, 5, "white=\r\nlist"),
        (10, 24, 10, 33, "whitelist"),
    ]


def test_eml_base64_maps_to_the_encoding_quad() -> None:
    encoded = base64.b64encode(b"Hello, please whitelist our IP.").decode()
    headers = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"
    [finding] = lint_text(eml(encoded + "\r\n", headers), PM104, "a.eml")
    # "whitelist" is bytes 14..22: quads 4..7 (characters 17..32 of the base64 line).
    assert (finding.line, finding.column, finding.end_column) == (8, 17, 33)


def test_eml_html_part_when_there_is_no_plain_part() -> None:
    html = "<p>Please <b>whitelist</b> us.</p><blockquote>we never whitelist</blockquote>"
    headers = "Content-Type: text/html; charset=utf-8\r\n"
    assert spans(eml(html + "\r\n", headers), "a.eml") == [(7, 14, 7, 23, "whitelist")]


def test_eml_multipart_prefers_plain_and_decodes_its_charset() -> None:
    body = (
        "--b\r\nContent-Type: text/html\r\n\r\n<p>allowlist</p>\r\n"
        "--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        "Caf\xe9: please whitelist us.\r\n--b--\r\n"
    )
    headers = 'Content-Type: multipart/alternative; boundary="b"\r\n'
    data = eml(body, headers).encode("latin-1")
    source = data.decode("utf-8", "surrogateescape")
    [finding] = lint_text(source, PM104, "a.eml")
    assert (finding.line, finding.column, finding.text) == (15, 14, "whitelist")


def test_eml_with_a_wrong_charset_still_lints(run_cli, tmp_path: Path) -> None:
    headers = "Content-Type: text/plain; charset=x-no-such-charset\r\n"
    path = write(tmp_path, "a.eml", eml("Please whitelist us.\r\n", headers).encode())
    result = run_cli("lint", "--format", "json", "--select", "PM104", str(path))
    assert [d["text"] for d in json.loads(result.out)["diagnostics"]] == ["whitelist"]


# --- templates --------------------------------------------------------------------------------


def test_template_tags_are_not_prose_and_placeholders_read_as_words() -> None:
    text = (
        "{% if vip %}Dear {{ customer.name | title }},{% endif %}\n"
        "{# please whitelist us #}{{!-- please whitelist --}}{{! whitelist }}\n"
        "{% comment %}please whitelist us{% endcomment %}\n"
        "Our IP {{ sending_ip }} is blocked; please whitelist it.\n"
    )
    assert spans(text, "a.j2") == [(4, 44, 4, 53, "whitelist")]


def test_placeholders_supply_required_elements() -> None:
    config = LintConfig.create(select=["PM201", "PM206", "PM204"])
    text = "Bounce: {{ smtp_code }}\nIP: {{ sending_ip }}\nScore: {{{ senderscore }}}\n"
    assert lint_text(text, config, "a.hbs") == []
    custom = LintConfig.create(select=["PM201"], placeholders={"isp_reply": "smtp-code"})
    assert lint_text("We got {{ isp_reply }}.\n", custom, "a.liquid") == []
    assert [d.rule for d in lint_text("We got {{ isp_reply }}.\n", config, "a.liquid")] == [
        "PM201",
        "PM204",
        "PM206",
    ]


def test_template_syntax_inside_txt_html_md() -> None:
    for path in ("a.txt", "a.md", "a.html"):
        text = "{% if x %}please whitelist{% endif %} {{ whitelist_url }}\n"
        assert [s[-1] for s in spans(text, path)] == ["whitelist"], path


# --- quoted material and signatures -----------------------------------------------------------


def test_signature_is_not_linted_for_pitfalls_but_gives_evidence() -> None:
    config = LintConfig.create(select=["PM107", "PM102", "PM206"])
    text = (
        "We fixed it.\n\nThanks,\nDana\nPlease call me on 555-0100, so sorry!\nexample-shop.com\n"
    )
    assert lint_text(text, config) == []
    text = "We fixed it.\n-- \nDana | Please call us back | example-shop.com\n"
    assert lint_text(text, config) == []


def test_reply_thread_and_forward_do_not_fire() -> None:
    text = (
        "We fixed the cause.\n\n"
        "On Mon, 3 May 2024 at 10:00, Postmaster <pm@example.net> wrote:\n"
        "Please whitelist requests are not accepted. Why are you sending spam?\n"
    )
    assert lint_text(text, LintConfig.create(select=["PM104", "PM103"])) == []


def test_stdin_filename_picks_the_reader(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    data = b"<p>Please <b>whitelist</b> us</p>\n<!-- whitelist -->\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    result = run_cli(
        "lint", "--format", "concise", "--select", "PM104", "--stdin-filename", "draft.html", "-"
    )
    assert result.out.splitlines() == [
        "draft.html:1:14: PM104 Asks for special treatment (whitelisting, an exception, "
        "bypassing filters); providers apply the same filters to everyone. Ask for a review of "
        "the fixed cause instead."
    ]
