"""``lgstandards info``: versions and where the data is read from."""

from __future__ import annotations

import click

from lgstandards.cli._output import Output, emit_json, format_option, output_option, resolve_format

#: The ``$id`` of the JSON Schema of the JSON output (in ``schemas/report/``).
INFO_SCHEMA = "urn:lgstandards:info:1"


@click.command()
@click.option("--paths", is_flag=True, help="Also show the data folders in use.")
@format_option("text", "json")
@output_option()
def info(paths: bool, fmt: str, output: str | None) -> None:
    """Show the library version, the lists' versions and (with --paths) the data folders.

    Example: lgstandards info --paths
    """
    from lgstandards import __version__
    from lgstandards._resources import data_root

    fmt = resolve_format(fmt, output)
    target = Output(output, what="output")
    folders = {kind: str(data_root(kind)) for kind in ("vocabularies", "schemas")}
    if fmt == "json":
        emit_json(target, "info", INFO_SCHEMA, {"paths": folders} if paths else {})
        return
    lines = [f"lgstandards {__version__}"]
    if paths:
        lines += [f"{kind}: {path}" for kind, path in folders.items()]
    target.write("".join(f"{line}\n" for line in lines), binary=False)
