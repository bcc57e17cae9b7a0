"""``lgstandards vocab``: list, show, search, export and build the controlled lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import click

from lgstandards.cli._complete import complete_concept_list, complete_list
from lgstandards.cli._lazy import LazyGroup
from lgstandards.cli._output import (
    EXIT_INVALID,
    EXPORT_SUFFIXES,
    Output,
    emit_json,
    format_option,
    output_option,
    print_table,
    resolve_format,
)

#: The ``$id`` of the JSON Schema of each command's JSON output (in ``schemas/report/``).
LIST_SCHEMA = "urn:lgstandards:vocab-list:1"
SHOW_SCHEMA = "urn:lgstandards:vocab-show:1"
SEARCH_SCHEMA = "urn:lgstandards:vocab-search:1"


@click.group(
    cls=LazyGroup,
    lazy={
        "check": "lgstandards.cli.publish:check",
        "diff": "lgstandards.cli.publish:diff",
        "release": "lgstandards.cli.publish:release",
    },
)
def vocab() -> None:
    """Look up, export and publish the controlled lists (LGSL, LGIL, ...).

    Example: lgstandards vocab search lgsl "council tax"
    """


@vocab.command("list")
@format_option("text", "json")
@output_option()
def list_(fmt: str, output: str | None) -> None:
    """List the shipped vocabularies: name, version, count and source.

    Example: lgstandards vocab list --format json

    Example: lgstandards vocab list -o lists.json
    """
    from lgstandards.vocab import LIST_NAMES, get_list

    fmt = resolve_format(fmt, output)
    target = Output(output, what="output")
    rows = []
    for name in LIST_NAMES:
        vocabulary = get_list(name)
        scheme = vocabulary.scheme
        source = scheme.sources[0].get("publisher", "") if scheme.sources else ""
        rows.append(
            {
                "name": name,
                "title": scheme.title,
                "version": scheme.version,
                "count": len(vocabulary),
                "status": scheme.status,
                "uri": scheme.uri,
                "source": source,
                "licence": scheme.licence.get("name", ""),
            }
        )
    if fmt == "json":
        emit_json(target, "vocab list", LIST_SCHEMA, {"lists": rows})
    else:
        print_table(
            "Vocabularies",
            ["name", "version", "count", "status", "source"],
            [[r["name"], r["version"], r["count"], r["status"], r["source"]] for r in rows],
            target,
        )


def _concept_list(name: str) -> Any:
    from lgstandards.exceptions import UnknownListError
    from lgstandards.vocab import LIST_NAMES, get_list

    concept_lists = [n for n in LIST_NAMES if n != "transactions"]
    if name.casefold() == "transactions":
        raise UnknownListError(name, concept_lists)
    return get_list(name)


@vocab.command()
@click.argument("list_name", metavar="LIST", shell_complete=complete_concept_list)
@click.argument("code")
@format_option("text", "json")
@output_option()
def show(list_name: str, code: str, fmt: str, output: str | None) -> None:
    """Show one concept of LIST by code, URI or exact label.

    Example: lgstandards vocab show lgsl 57 --format json
    """
    fmt = resolve_format(fmt, output)
    target = Output(output, what="output")
    concepts = _concept_list(list_name)
    record = concepts.lookup(code)
    from lgstandards.vocab.concepts import record_data

    data = record_data(record)
    if fmt == "json":
        emit_json(target, "vocab show", SHOW_SCHEMA, {"list": concepts.name, **data})
        return
    width = max(len(k) for k in data)
    lines = []
    for key, value in data.items():
        if value in (None, "", [], False) and key not in ("code", "label"):
            continue
        if isinstance(value, list):
            text = "; ".join(
                f"{v['code']} {v['label']}" if isinstance(v, dict) else v for v in value
            )
        else:
            text = str(value)
        lines.append(f"{key.ljust(width)}  {text}\n")
    target.write("".join(lines), binary=False)


@vocab.command()
@click.argument("list_name", metavar="LIST", shell_complete=complete_concept_list)
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--why", is_flag=True, help="Also say why each concept matched (text output).")
@format_option("text", "json")
@output_option()
def search(list_name: str, text: str, limit: int, why: bool, fmt: str, output: str | None) -> None:
    """Search LIST for TEXT in plain words, best match first.

    Ranked (BM25F) over labels, old names, descriptions and headings, with word forms,
    British and American spellings, compounds, typos and residents' words ("bins",
    "fly tipping"). JSON output gives each result's score and the reasons it matched.

    Example: lgstandards vocab search lgsl "report a missed bin" --limit 5

    Example: lgstandards vocab search lgsl "pay council tax" --format json
    """
    fmt = resolve_format(fmt, output)
    target = Output(output, what="output")
    concepts = _concept_list(list_name)
    found = concepts.search_scored(text, limit=limit)
    if fmt == "json":
        results = [
            {
                "code": m.concept.code,
                "label": m.concept.label,
                "uri": m.concept.uri,
                "score": round(m.score, 6),
                "why": list(m.reasons),
            }
            for m in found
        ]
        payload = {"list": concepts.name, "query": text, "results": results}
        emit_json(target, "vocab search", SEARCH_SCHEMA, payload)
        return
    if not found:
        click.echo(f"no match for {text!r} in {list_name}", err=True)
        target.write("", binary=False)
        return
    header = ["code", "label", "score"] + (["why"] if why else [])
    rows = [
        [m.concept.code, m.concept.label, f"{m.score:.2f}"]
        + (["; ".join(m.reasons)] if why else [])
        for m in found
    ]
    print_table(None, header, rows, target)


_EXPORT_FORMATS = ("turtle", "jsonld", "rdfxml", "csv")


@vocab.command()
@click.argument("list_name", metavar="LIST", shell_complete=complete_list)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_EXPORT_FORMATS),
    default="turtle",
    show_default=True,
    help="Output format; default: from the -o file's name (.ttl, .jsonld, .rdf, .csv).",
)
@output_option()
def export(list_name: str, fmt: str, output: str | None) -> None:
    """Export LIST as SKOS (Turtle, JSON-LD, RDF/XML) or CSV.

    Example: lgstandards vocab export lgsl -o lgsl.ttl
    """
    from lgstandards.publish.skos import build_graph, serialize
    from lgstandards.vocab import get_list
    from lgstandards.vocab.releases import Format

    fmt = resolve_format(fmt, output, suffixes=EXPORT_SUFFIXES)
    target = Output(output, what="output")
    data = serialize(build_graph(get_list(list_name).name), cast("Format", fmt))
    target.write(data)
    if output is not None:
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)


@vocab.command()
@click.argument("names", nargs=-1, metavar="[LIST]...", shell_complete=complete_list)
@click.option("--check", is_flag=True, help="Only report stale built files; exit 1 if any.")
def build(names: tuple[str, ...], check: bool) -> None:
    """Rebuild the SKOS, JSON-LD and CSV forms and the search index of the lists.

    Example: lgstandards vocab build --check
    """
    from lgstandards.publish.skos import stale_files, write_built
    from lgstandards.vocab.indexes import stale_search_file, write_search_file
    from lgstandards.vocab.source import list_ids

    selected = list(names) or list_ids()
    stale: list[Path] = []
    for name in selected:
        if check:
            stale.extend(stale_files(name))
            stale.extend(stale_search_file(name))
        else:
            for path in [*write_built(name), *write_search_file(name)]:
                click.echo(f"built {path}", err=True)
    if stale:
        for path in stale:
            click.echo(f"stale: {path}", err=True)
        raise SystemExit(EXIT_INVALID)
