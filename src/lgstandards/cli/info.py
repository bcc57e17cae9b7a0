"""``lgstandards info``: versions and where the data is read from."""

from __future__ import annotations

import click

from lgstandards.cli._output import echo_json, format_option


@click.command()
@click.option("--paths", is_flag=True, help="Also show the data folders in use.")
@format_option("text", "json")
def info(paths: bool, fmt: str) -> None:
    """Show the library version, the lists' versions and (with --paths) the data folders.

    Example: lgstandards info --paths
    """
    from lgstandards import __version__
    from lgstandards._resources import data_root

    data: dict[str, object] = {"lgstandards": __version__}
    if paths:
        data["paths"] = {kind: str(data_root(kind)) for kind in ("vocabularies", "schemas")}
    if fmt == "json":
        echo_json(data)
        return
    click.echo(f"lgstandards {__version__}")
    if paths:
        for kind, path in data["paths"].items():  # type: ignore[attr-defined]
            click.echo(f"{kind}: {path}")
