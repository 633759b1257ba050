"""`postmaster-lint serve`'s JSON API, through Starlette's test client: the same findings as the
CLI, and the safety checks (Host, Origin, body size)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from starlette.testclient import TestClient

from postmaster_lint.readers import format_for
from postmaster_lint.web.app import WebOptions, allowed_hosts, create_app

from .conftest import REPO, CliResult
from .test_provider_lint import COMCAST_BOUNCE

DRAFTS = REPO / "corpora" / "drafts"
BASE = "http://127.0.0.1:8765"
WEB_FORMATS = {"plain": "plain", "markdown": "markdown", "html": "html", "eml": "eml"}
BOUNCE = "550 5.7.1 [203.0.113.7] Our system has detected that this message is likely suspicious due to the very low reputation of the sending IP address. gsmtp\n"


def client(directory: Path = DRAFTS, **kwargs: Any) -> TestClient:
    options = WebOptions(directory=directory, **kwargs)
    return TestClient(create_app(options), base_url=BASE)


@pytest.fixture(scope="module")
def web() -> TestClient:
    return client()


def _without_path(diagnostics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in d.items() if k != "path"} for d in diagnostics]


def test_every_corpus_draft_gets_the_cli_findings(web: TestClient, run_cli: Any) -> None:
    result: CliResult = run_cli("lint", "--format", "json", "--no-cache", "-j", "1", str(DRAFTS))
    assert result.code == 1, result.err
    report = json.loads(result.out)
    by_path: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for diagnostic in report["diagnostics"]:
        by_path[Path(diagnostic["path"]).name].append(diagnostic)
    checklists = {Path(f["path"]).name: f["checklist"] for f in report["files"]}
    drafts = sorted(p for p in DRAFTS.iterdir() if p.is_file())
    assert len(drafts) == len(checklists) == 201
    for draft in drafts:
        fmt = WEB_FORMATS[format_for(draft.name)]
        text = draft.read_bytes().decode("utf-8")  # as read: CRLF kept
        answer = web.post("/api/lint", json={"text": text, "format": fmt})
        assert answer.status_code == 200, draft.name
        data = answer.json()
        assert _without_path(data["diagnostics"]) == _without_path(by_path[draft.name]), draft.name
        assert data["checklist"] == checklists[draft.name], draft.name
        assert data["error"] is None


def test_lint_answers_paths_as_the_draft_name(web: TestClient) -> None:
    data = web.post("/api/lint", json={"text": "Hi,\n\nPlease whitelist our IP.\n"}).json()
    pm104 = [d for d in data["diagnostics"] if d["rule"] == "PM104"]
    assert [(d["path"], d["start"], d["end"], d["text"]) for d in pm104] == [
        ("draft.txt", 12, 21, "whitelist")
    ]
    assert data["inserts"]["PM201"] == {
        "offset": 5,
        "text": "SMTP bounce code: <paste the full 5xx line you received here>\n",
    }


def test_a_provider_is_applied_as_with_the_cli(
    web: TestClient, run_cli: Any, tmp_path: Path
) -> None:
    text = "Hello,\n\n" + COMCAST_BOUNCE
    path = tmp_path / "draft.txt"
    path.write_text(text, encoding="utf-8")
    result: CliResult = run_cli(
        "lint", "--format", "json", "--no-cache", "--provider", "comcast", str(path)
    )
    expected = json.loads(result.out)["diagnostics"]
    answer = web.post("/api/lint", json={"text": text, "provider": "comcast"}).json()
    assert _without_path(answer["diagnostics"]) == _without_path(expected)
    assert "PM401" in {d["rule"] for d in expected}
    plain = web.post("/api/lint", json={"text": text}).json()
    assert plain["diagnostics"] != answer["diagnostics"]


def test_an_empty_draft_is_not_linted(web: TestClient) -> None:
    answer = web.post("/api/lint", json={"text": "  \n"})
    assert answer.status_code == 200
    assert answer.json() == {
        "diagnostics": [],
        "checklist": [],
        "error": "empty draft: nothing to lint",
        "inserts": {},
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"text": "x", "format": "markdwn"},
            "unknown format 'markdwn' (did you mean 'markdown'?) (choose from plain, markdown, html, eml)",
        ),
        ({"text": "x", "provider": "gmial"}, "unknown provider 'gmial' (did you mean 'gmail'?)"),
        ({"format": "plain"}, '"text" must be a string'),
        ([1, 2], "the body must be a JSON object"),
    ],
)
def test_bad_requests_are_400_with_one_line(web: TestClient, body: Any, message: str) -> None:
    answer = web.post("/api/lint", json=body)
    assert answer.status_code == 400
    assert answer.json() == {"error": message}
    assert "\n" not in message


def test_a_body_that_is_not_json_is_400(web: TestClient) -> None:
    answer = web.post("/api/lint", content=b"text=hello")
    assert (answer.status_code, answer.json()) == (400, {"error": "the body is not JSON"})


def test_oversize_bodies_are_413() -> None:
    small = client(max_bytes=1000)
    text = "x" * 1000
    answer = small.post("/api/lint", json={"text": text})
    assert answer.status_code == 413
    assert answer.json() == {"error": "request body over the 1000-byte limit"}
    # without a Content-Length (chunked), the stream is counted
    chunks = iter([b'{"text": "', b"x" * 600, b"x" * 600, b'"}'])
    answer = small.post("/api/lint", content=chunks)
    assert (answer.status_code, answer.json()) == (
        413,
        {"error": "request body over the 1000-byte limit"},
    )


def test_the_default_limit_is_two_mebibytes(web: TestClient) -> None:
    answer = web.post("/api/lint", json={"text": "x" * (2 * 1024 * 1024)})
    assert answer.status_code == 413
    assert answer.json() == {"error": "request body over the 2097152-byte limit"}


@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "attacker.test"])
def test_a_foreign_host_header_is_refused(web: TestClient, host: str) -> None:
    for answer in (
        web.get("/api/rules", headers={"host": host}),
        web.post("/api/lint", json={"text": "x"}, headers={"host": host}),
        web.get("/", headers={"host": host}),
    ):
        assert answer.status_code == 403
        assert answer.json() == {"error": f"Host header {host!r} is not this server's address"}


def test_loopback_names_are_allowed() -> None:
    assert allowed_hosts("127.0.0.1", 8765) == {
        "127.0.0.1:8765",
        "localhost:8765",
        "[::1]:8765",
    }
    assert allowed_hosts("192.0.2.5", 80) == {"192.0.2.5:80"}
    assert allowed_hosts("::1", 80) == {"127.0.0.1:80", "localhost:80", "[::1]:80"}
    import socket

    everywhere = allowed_hosts("0.0.0.0", 80)
    assert {"127.0.0.1:80", "localhost:80", f"{socket.gethostname()}:80"} <= everywhere
    assert "evil.example:80" not in everywhere


def test_cross_origin_posts_are_refused(web: TestClient) -> None:
    answer = web.post("/api/lint", json={"text": "Hi"}, headers={"origin": "http://evil.example"})
    assert answer.status_code == 403
    assert answer.json() == {"error": "cross-origin request from 'http://evil.example' refused"}
    other_port = web.post(
        "/api/bounce", json={"text": BOUNCE}, headers={"origin": "http://127.0.0.1:9999"}
    )
    assert other_port.status_code == 403
    same = web.post("/api/lint", json={"text": "Hi"}, headers={"origin": BASE})
    assert same.status_code == 200


def test_rules(web: TestClient) -> None:
    answer = web.get("/api/rules")
    assert answer.status_code == 200
    rules = {rule["id"]: rule for rule in answer.json()}
    assert rules["PM104"]["name"] == "exception-request"
    assert rules["PM104"]["good"] and rules["PM104"]["rationale"]
    assert rules["PM201"]["insert"] == (
        "SMTP bounce code: <paste the full 5xx line you received here>"
    )


def test_bounce_gives_the_cli_entries(web: TestClient, run_cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "bounce.txt"
    path.write_text(BOUNCE, encoding="utf-8")
    result: CliResult = run_cli("bounce", "--format", "json", str(path))
    assert result.code == 0, result.err
    answer = web.post("/api/bounce", json={"text": BOUNCE})
    assert answer.status_code == 200
    assert answer.json() == json.loads(result.out)
    assert answer.json()[0]["provider"]["id"] == "gmail"


def test_bounce_without_a_reply_is_400(web: TestClient) -> None:
    answer = web.post("/api/bounce", json={"text": "hello there"})
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "no SMTP reply found (paste the rejection line, a log line or the NDR)"
    }


def test_new_draft_from_a_bounce_is_the_scaffold(
    web: TestClient, run_cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "bounce.txt"
    path.write_text(BOUNCE, encoding="utf-8")
    result: CliResult = run_cli("new", "--bounce", str(path))
    answer = web.post("/api/new", json={"text": BOUNCE})
    assert answer.status_code == 200
    assert answer.json()["draft"] == result.out
    assert answer.json()["notes"] == result.err.splitlines()


@pytest.mark.parametrize("kind", ["json", "sarif"])
def test_report_download(web: TestClient, kind: str) -> None:
    answer = web.post("/api/report", json={"text": "Please whitelist us.", "report": kind})
    assert answer.status_code == 200
    data = answer.json()
    if kind == "json":
        assert "PM104" in {d["rule"] for d in data["diagnostics"]}
    else:
        assert data["version"] == "2.1.0"


def test_the_page_and_its_files_are_served(web: TestClient) -> None:
    for path, media in [
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/style.css", "text/css"),
    ]:
        answer = web.get(path)
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith(media)
    assert "http://" not in web.get("/").text.replace(BASE, "")  # no CDN


def test_serve_without_the_extra_says_how_to_install(
    run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result: CliResult = run_cli("serve")
    assert result.code == 2
    assert result.err == (
        "postmaster-lint: error: serve needs the web extra: pip install 'postmaster-lint[web]'\n"
    )
