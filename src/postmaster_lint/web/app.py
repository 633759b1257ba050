"""The Starlette app behind `postmaster-lint serve`: the page and its JSON API.

Every lint goes through `LintJob` (runner.py), as the CLI's and the language server's do, in
one worker thread that reuses unchanged paragraphs. Safe by default: the Host header must name
the address the server is bound to (DNS rebinding), a POST from another origin is refused, the
body is limited to the maximum file size, and no endpoint reads or writes a file.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import InputError, LintTimeout, UserError, did_you_mean
from ..inputs import DEFAULT_MAX_BYTES, Draft
from ..results import FileResult
from ..runner import LintJob
from ..settings import Overrides, Settings, SettingsResolver

STATIC = Path(__file__).with_name("static")
FORMATS = {"plain": ".txt", "markdown": ".md", "html": ".html", "eml": ".eml"}
REPORTS = ("json", "sarif")
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
_ASSETS = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/style.css": ("style.css", "text/css; charset=utf-8"),
}


class BadRequest(Exception):
    """A one-line reason the request cannot be answered (400)."""


@dataclasses.dataclass
class WebOptions:
    host: str = "127.0.0.1"
    port: int = 8765
    max_bytes: int = DEFAULT_MAX_BYTES
    budget: float = 10.0  # seconds one lint may take, as the CLI's --timeout default
    directory: Path = dataclasses.field(default_factory=Path.cwd)  # configuration discovery
    overrides: Overrides = dataclasses.field(default_factory=Overrides)


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers a request may carry: the bound address and port (and the other
    loopback names when bound to loopback; bound to every address, the loopback names and the
    machine's own name: a page reached by a bare IP from elsewhere is refused)."""
    name = f"[{host}]" if ":" in host and not host.startswith("[") else host
    names = {name}
    if name in _LOOPBACK:
        names |= set(_LOOPBACK)
    elif name in ("0.0.0.0", "[::]"):  # every address: the loopback names and this machine's
        import socket

        names = {*_LOOPBACK, socket.gethostname(), socket.getfqdn()}
    return frozenset(f"{n}:{port}" for n in names)


class Guard:
    """ASGI middleware: Host check, same-origin POSTs, and the body size limit."""

    def __init__(self, app: ASGIApp, options: WebOptions) -> None:
        self.app = app
        self.options = options
        self.hosts = allowed_hosts(options.host, options.port)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if host not in self.hosts:
            await _error(403, f"Host header {host!r} is not this server's address")(
                scope, receive, send
            )
            return
        origin = headers.get("origin")
        if scope["method"] != "GET" and origin is not None and origin != f"http://{host}":
            await _error(403, f"cross-origin request from {origin!r} refused")(scope, receive, send)
            return
        limit = self.options.max_bytes
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        await self.app(scope, _limited(receive, limit), send)


class TooLarge(Exception):
    pass


def _limited(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Any:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
        return message

    return wrapped


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _too_large(limit: int) -> JSONResponse:
    return _error(413, f"request body over the {limit}-byte limit")


class Linting:
    """Lints in one worker thread (the linter reuses paragraphs, as in the language server)."""

    def __init__(self, options: WebOptions) -> None:
        self.options = options
        self.resolver = SettingsResolver(options.overrides)
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="postmaster-lint-web")

    def settings(self, path: Path, provider: str | None) -> Settings:
        settings = self.resolver.for_path(str(path))
        if provider is not None:
            from ..providers import load_providers

            try:
                resolved = load_providers().resolve(provider).id
            except UserError as exc:
                raise BadRequest(exc.message) from None
            settings = dataclasses.replace(settings, provider=resolved)
        return settings

    def lint(self, text: str, fmt: str, provider: str | None) -> FileResult:
        """The same result `lint` gives for a file named draft.<ext> in the served directory."""
        name = "draft" + FORMATS[fmt]
        path = self.options.directory / name
        settings = self.settings(path, provider)
        job = LintJob.of(Draft(str(path), text, fmt), settings)
        try:
            diagnostics, checklist = job.run(name, self.options.budget, reuse_paragraphs=True)
        except (InputError, LintTimeout) as exc:
            return FileResult(name, error=type(exc)(exc.message, name))
        return FileResult(name, tuple(diagnostics), checklist=checklist, fail_on=settings.fail_on)

    async def run(self, function: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.worker, function, *args)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the body is not JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    text = data.get("text")
    if not isinstance(text, str):
        raise BadRequest('"text" must be a string')
    return data


def _format(data: dict[str, Any]) -> str:
    fmt = data.get("format", "plain")
    if fmt not in FORMATS:
        choices = ", ".join(FORMATS)
        raise BadRequest(
            f"unknown format {fmt!r}{did_you_mean(str(fmt), list(FORMATS))} (choose from {choices})"
        )
    return str(fmt)


def _provider(data: dict[str, Any]) -> str | None:
    provider = data.get("provider")
    if provider in (None, ""):
        return None
    if not isinstance(provider, str):
        raise BadRequest('"provider" must be a string')
    return provider


def create_app(options: WebOptions | None = None) -> ASGIApp:
    options = options or WebOptions()
    linting = Linting(options)

    def endpoint(
        handler: Callable[[Request], Awaitable[Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def wrapped(request: Request) -> Response:
            try:
                return await handler(request)
            except BadRequest as exc:
                return _error(400, str(exc))
            except TooLarge:
                return _too_large(options.max_bytes)
            except UserError as exc:  # e.g. a broken configuration file
                return _error(500, exc.render())

        return wrapped

    async def lint(request: Request) -> Response:
        data = await _body(request)
        fmt, provider = _format(data), _provider(data)
        linting.settings(options.directory / "draft", provider)  # 400 before queueing
        result: FileResult = await linting.run(linting.lint, data["text"], fmt, provider)
        answer = _answer(result, data["text"], options)
        return JSONResponse(answer)

    async def report(request: Request) -> Response:
        data = await _body(request)
        fmt, provider = _format(data), _provider(data)
        kind = data.get("report", "json")
        if kind not in REPORTS:
            raise BadRequest(f"unknown report {kind!r} (choose from json, sarif)")
        result = await linting.run(linting.lint, data["text"], fmt, provider)
        from ..api import get_linter
        from ..output import render

        linter = get_linter(linting.settings(options.directory / "draft", provider).lint)
        rules = list(linter.rules)
        media = "application/sarif+json" if kind == "sarif" else "application/json"
        return Response(render([result], kind, rules), media_type=media)

    async def bounce(request: Request) -> Response:
        data = await _body(request)
        replies = await linting.run(_replies, data["text"])
        from ..commands.bounce import describe

        return JSONResponse([describe(r, data["text"]) for r in replies])

    async def new(request: Request) -> Response:
        data = await _body(request)
        fmt = data.get("format", "txt")
        if fmt not in ("txt", "md"):
            raise BadRequest(f"unknown draft format {fmt!r} (choose from txt, md)")
        replies = await linting.run(_replies, data["text"])
        from ..scaffold import build, render

        try:
            lines = build(replies)
        except UserError as exc:  # the provider takes no requests
            raise BadRequest(exc.message) from None
        notes = [line.text for line in lines if line.kind == "note"]
        return JSONResponse({"draft": render(lines, fmt), "notes": notes})

    async def rules(request: Request) -> Response:
        return JSONResponse(_rules(options))

    async def providers(request: Request) -> Response:
        from ..providers import load_providers

        return JSONResponse(
            [{"id": p.id, "name": p.name, "kind": p.kind} for p in load_providers()]
        )

    async def asset(request: Request) -> Response:
        name, media = _ASSETS[request.url.path]
        return FileResponse(STATIC / name, media_type=media)

    routes = [
        Route("/api/lint", endpoint(lint), methods=["POST"]),
        Route("/api/report", endpoint(report), methods=["POST"]),
        Route("/api/bounce", endpoint(bounce), methods=["POST"]),
        Route("/api/new", endpoint(new), methods=["POST"]),
        Route("/api/rules", endpoint(rules), methods=["GET"]),
        Route("/api/providers", endpoint(providers), methods=["GET"]),
        *(Route(path, asset, methods=["GET"]) for path in _ASSETS),
    ]
    return Guard(Starlette(routes=routes), options)


def _replies(text: str) -> list[Any]:
    from ..ndr import read_bounce

    replies = read_bounce(text, "<bounce>")
    if not replies:
        raise BadRequest("no SMTP reply found (paste the rejection line, a log line or the NDR)")
    return replies


def _answer(result: FileResult, text: str, options: WebOptions) -> dict[str, Any]:
    """`diagnostics` and `checklist` as `lint --format json` has them; `error` when the draft
    was not linted (empty, over the time budget); `inserts`: where each missing element's
    line goes (a code-point offset) and its text."""
    from ..api import get_linter
    from ..lsp.actions import insertion

    inserts: dict[str, dict[str, Any]] = {}
    missing = {item.rule for item in result.checklist if not item.found}
    if missing:
        settings = SettingsResolver(options.overrides).for_path(str(options.directory / "draft"))
        for rule in get_linter(settings.lint, True).rules:
            if rule.id in missing and rule.insert:
                line, character, line_text = insertion(text, rule.insert)
                lines = text.split("\n")
                offset = sum(len(x) + 1 for x in lines[:line])
                # insertion() counts UTF-16 units on the last line; turn them into code points
                last = lines[line] if line < len(lines) else ""
                offset += len(last.encode("utf-16-le")[: character * 2].decode("utf-16-le"))
                inserts[rule.id] = {"offset": offset, "text": line_text}
    return {
        "diagnostics": [d.to_dict() for d in result.diagnostics],
        "checklist": [item.to_dict() for item in result.checklist],
        "error": result.error.message if result.error else None,
        "inserts": inserts,
    }


def _rules(options: WebOptions) -> list[dict[str, Any]]:
    from ..rules import builtin_rules_dir, load_rules

    settings = SettingsResolver(options.overrides).for_path(str(options.directory / "draft"))
    rules = load_rules([builtin_rules_dir(), *settings.lint.rule_dirs])
    return [
        {
            "id": rule.id,
            "name": rule.name,
            "category": rule.category,
            "severity": rule.severity.label,
            "message": rule.message,
            "rationale": rule.rationale,
            "good": [e.text for e in rule.good_examples],
            "bad": [e.text for e in rule.bad_examples],
            "insert": rule.insert,
            "link": rule.link,
        }
        for rule in rules
    ]
