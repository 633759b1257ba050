"""Run the app with uvicorn; say where it is once it listens."""

from __future__ import annotations

import socket
import threading
import webbrowser
from pathlib import Path

import click
import uvicorn

from ..inputs import DEFAULT_MAX_BYTES
from ..settings import Overrides
from .app import WebOptions, create_app


def run(
    host: str,
    port: int,
    open_browser: bool = False,
    overrides: Overrides | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    budget: float = 10.0,
) -> None:
    # Bind first, so that --port 0 picks a free port and the Host check knows which.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit it: without it, a response's header and body writes wait on
    # the client's delayed ACK (about 40 ms a request).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)  # connections queue from now on, before uvicorn has started
    port = sock.getsockname()[1]
    options = WebOptions(
        host=host,
        port=port,
        max_bytes=max_bytes,
        budget=budget,
        directory=Path.cwd(),
        overrides=overrides or Overrides(),
    )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    click.echo(f"postmaster-lint: serving on {url} (Ctrl-C stops)", err=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    config = uvicorn.Config(create_app(options), log_level="warning", lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
