"""`postmaster-lint providers` and `check-providers`: the provider data, listed and validated."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import ProviderError, UserError
from ..providers import (
    Provider,
    builtin_providers_dir,
    check_owners,
    load_providers,
    parse_provider,
    provider_files,
)
from ..yamlsafe import read_yaml_file


def list_providers(output_format: str) -> str:
    providers = load_providers()
    if output_format == "markdown":
        from ..provider_docs import render_providers_markdown

        return render_providers_markdown(providers)
    if output_format == "json":
        return json.dumps([_summary(p) for p in providers], indent=2) + "\n"
    lines = [f"{'id':<16} {'kind':<17} {'channel':<12} name"]
    lines += [f"{p.id:<16} {p.kind:<17} {p.contact.channel:<12} {p.name}" for p in providers]
    return "\n".join(lines) + "\n"


def _summary(provider: Provider) -> dict[str, object]:
    return {
        "id": provider.id,
        "name": provider.name,
        "kind": provider.kind,
        "contact": {"channel": provider.contact.channel, "address": provider.contact.address},
        "who_writes": provider.who_writes.party,
        "codes": sorted(provider.codes),
        "must_include": [f.id for f in provider.must_include],
    }


def run_check(directory: Path | None) -> int:
    """Each file is parsed on its own so one mistake does not hide the others; exit 2 when any
    file is malformed."""
    folder = directory if directory is not None else builtin_providers_dir()
    files = provider_files(folder)
    if not files:
        raise UserError("no provider files (*.yaml) found", str(folder))
    loaded: list[Provider] = []
    malformed = 0
    for path in files:
        try:
            loaded.append(parse_provider(read_yaml_file(path, ProviderError), str(path)))
        except UserError as exc:
            malformed += 1
            click.echo(f"ERROR {exc.render()}")
    try:
        check_owners(loaded)
    except UserError as exc:
        malformed += 1
        click.echo(f"ERROR {exc.render()}")
    plural = "s" if len(files) != 1 else ""
    click.echo(f"{len(files)} provider file{plural}: {malformed} malformed")
    return 2 if malformed else 0
