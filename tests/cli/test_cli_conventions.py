"""The CLI's conventions, command by command: every command is found by walking the tree.

Each class: exit codes defined once; ``-o`` on every command with ``--format`` and the
format following the file's name; ``--fail-on``, ``--quiet`` and ``--exclude``; shell
completion of list names and kinds; one JSON envelope, each output valid against its
published JSON Schema; SARIF runs with invocations and documented rules.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

from lgstandards.cli import cli
from lgstandards.cli._output import EXPORT_SUFFIXES, SUFFIX_FORMATS, format_for_name
from lgstandards.validation import formats

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "lgstandards"
SCHEMAS = REPO / "schemas" / "report"
EPAY = REPO / "examples" / "epay"
VALID = EPAY / "valid" / "payment-request.xml"
INVALID = EPAY / "invalid" / "request-bad-postcode.xml"
#: A document whose only finding is a warning (vocab.unofficial-code).
WARNING_ONLY = REPO / "examples" / "catalogues" / "valid" / "unofficial-code.ttl"
TURTLE = REPO / "examples" / "catalogues" / "valid" / "cpsv-council-tax.ttl"
RELEASE = REPO / "vocabularies" / "tiers" / "1.0.0"
STATEMENT = REPO / "examples" / "iso20022" / "valid" / "camt053-council-statement.xml"
PAYOUT = EPAY / "valid" / "payout.xml"


def commands(group: click.Group = cli, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    """Yield ``(path, command)`` for every command of the tree (sub-commands of groups)."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from commands(command, f"{path} ")
        else:
            yield path, command


def param(command: click.Command, name: str) -> click.Parameter | None:
    return next((p for p in command.params if p.name == name), None)


def choices(command: click.Command) -> tuple[str, ...]:
    fmt = param(command, "fmt")
    assert fmt is not None
    assert isinstance(fmt.type, click.Choice)
    return tuple(str(c) for c in fmt.type.choices)


def invoke(*args: str, env: dict[str, str] | None = None) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), env=env)


#: Arguments that make each command with --format run (quickly) on real data.
SAMPLES: dict[str, list[str]] = {
    "validate": [str(VALID)],
    "vocab check": ["tiers"],
    "vocab diff": [str(RELEASE), str(RELEASE)],
    "vocab list": [],
    "vocab show": ["lgsl", "57"],
    "vocab search": ["lgsl", "tax"],
    "vocab export": ["tiers"],
    "conformance list": [],
    "conformance check": [],  # an empty folder, added by the test
    "info": ["--paths"],
    "exchange check": [str(VALID)],
    "exchange status": [],  # a ledger, added by the test
    "exchange reconcile": [str(STATEMENT), str(PAYOUT)],
}


def ledger(tmp_path: Path) -> str:
    """Return a ledger file holding one checked payment request."""
    from lgstandards.exchange import Exchange

    path = tmp_path / "ledger.db"
    if not path.exists():
        with Exchange(str(path)) as history:
            history.check(VALID)
    return str(path)


def extra_args(path: str, tmp_path: Path) -> list[str]:
    """The arguments a command's sample needs that live in a temporary folder."""
    if path == "conformance check":
        (tmp_path / "product").mkdir(exist_ok=True)
        return [str(tmp_path / "product")]
    if path == "exchange status":
        return ["--ledger", ledger(tmp_path)]
    return []


def sample(path: str, tmp_path: Path) -> list[str]:
    return [*path.split(), *SAMPLES[path], *extra_args(path, tmp_path)]


def formatted() -> list[tuple[str, click.Command]]:
    return [(p, c) for p, c in commands() if param(c, "fmt") is not None]


# --- exit codes: one owner ------------------------------------------------------------


def _exit_definitions() -> list[str]:
    found = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                names = target.elts if isinstance(target, ast.Tuple) else [target]
                found += [
                    f"{path.relative_to(SRC)}:{n.id}"
                    for n in names
                    if isinstance(n, ast.Name) and n.id.startswith("EXIT_")
                ]
    return found


def test_exit_codes_are_defined_once() -> None:
    assert sorted(_exit_definitions()) == [
        "cli/_output.py:EXIT_INVALID",
        "cli/_output.py:EXIT_OK",
        "cli/_output.py:EXIT_USAGE",
    ]


def _literal_exits(path: Path) -> list[str]:
    """Calls that end the program with a number written out, not a named exit code."""
    exits = {"exit", "Exit", "SystemExit", "fail"}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in exits:
            continue
        arguments = [*node.args, *(k.value for k in node.keywords)]
        if name == "fail":
            arguments = arguments[1:]
        if any(isinstance(a, ast.Constant) and isinstance(a.value, int) for a in arguments):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_commands_exit_with_named_codes() -> None:
    assert [hit for path in (SRC / "cli").glob("*.py") for hit in _literal_exits(path)] == []


def test_the_public_exit_codes_are_the_owners() -> None:
    import lgstandards.cli as public
    from lgstandards.cli import _output

    assert (public.EXIT_OK, public.EXIT_INVALID, public.EXIT_USAGE) == (0, 1, 2)
    assert public.EXIT_USAGE is _output.EXIT_USAGE


# --- -o and the format it implies -----------------------------------------------------


def test_every_command_with_format_has_output_and_a_sample() -> None:
    found = formatted()
    assert {p for p, _ in found} == set(SAMPLES)
    for path, command in found:
        output = param(command, "output")
        assert output is not None, path
        assert "-o" in output.opts, path
        assert "Example: lgstandards" in (command.help or ""), path


def _sniff(data: bytes) -> str:
    """Return the format of an output, judged by its content alone."""
    text = data.decode("utf-8")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:  # more than one value: JSON Lines
            value = json.loads(stripped.splitlines()[0])
            return "jsonl" if {"source", "issues"} <= value.keys() else "unknown"
        if {"source", "issues"} <= value.keys() and "documents" not in value:
            return "jsonl"  # JSON Lines of one document
        if "runs" in value and value.get("version") == "2.1.0":
            return "sarif"
        return "jsonld" if "@context" in value or "@graph" in value else "json"
    if stripped.startswith("<!DOCTYPE html>"):
        return "html"
    if stripped.startswith("<?xml"):
        return "rdfxml" if "rdf:RDF" in text[:2000] else "junit"
    if stripped.startswith("## "):
        return "markdown"
    if stripped.startswith("@prefix"):
        return "turtle"
    if stripped.startswith(("code,", "uri,")) or text.count(",") > text.count("\t") > 0:
        return "csv"
    return "text"


def _cases() -> Iterator[Any]:
    for path, _command in formatted():
        table = EXPORT_SUFFIXES if path == "vocab export" else SUFFIX_FORMATS
        for suffix in table:
            yield pytest.param(path, suffix, id=f"{path} {suffix}")


@pytest.mark.parametrize(("path", "suffix"), list(_cases()))
def test_the_format_follows_the_output_name(path: str, suffix: str, tmp_path: Path) -> None:
    command = dict(commands())[path]
    table = EXPORT_SUFFIXES if path == "vocab export" else SUFFIX_FORMATS
    implied = table[suffix]
    target = tmp_path / f"out{suffix}"
    result = invoke(*sample(path, tmp_path), "-o", str(target))
    if implied not in choices(command):
        assert result.exit_code == 2, result.output
        assert f"cannot write {implied}" in result.stderr
        assert "Traceback" not in result.output
        return
    assert result.exit_code in (0, 1), result.output
    assert "Warning" not in result.stderr
    assert _sniff(target.read_bytes()) == (implied if implied != "text" else "text")


@pytest.mark.parametrize("path", [p for p, _ in formatted()])
def test_an_explicit_format_wins_over_the_name(path: str, tmp_path: Path) -> None:
    command = dict(commands())[path]
    explicit = next(c for c in choices(command) if c not in ("text", "turtle"))
    target = tmp_path / "out.sarif"
    result = invoke(*sample(path, tmp_path), "--format", explicit, "-o", str(target))
    assert result.exit_code in (0, 1), result.output
    assert _sniff(target.read_bytes()) == explicit


@pytest.mark.parametrize("path", [p for p, _ in formatted()])
def test_a_name_implying_no_format_gives_the_default_with_a_warning(
    path: str, tmp_path: Path
) -> None:
    command = dict(commands())[path]
    target = tmp_path / "out.data"
    result = invoke(*sample(path, tmp_path), "-o", str(target))
    assert result.exit_code in (0, 1), result.output
    default = param(command, "fmt").default  # type: ignore[union-attr]
    assert f"implies no format; writing {default}" in result.stderr
    assert _sniff(target.read_bytes()) == default


def test_the_longest_ending_wins() -> None:
    assert format_for_name("a/report.sarif.json") == "sarif"
    assert format_for_name("report.junit.xml") == "junit"
    assert format_for_name("REPORT.JSON") == "json"
    assert format_for_name("report") is None
    assert format_for_name("lgsl.json", EXPORT_SUFFIXES) == "jsonld"


def test_sarif_without_format_is_sarif_for_validate(tmp_path: Path) -> None:
    """The issue's first case: ``-o report.sarif`` once wrote text into it."""
    target = tmp_path / "report.sarif"
    result = invoke("validate", "-o", str(target), str(INVALID))
    assert result.exit_code == 1
    assert json.loads(target.read_text("utf-8"))["version"] == "2.1.0"


# --- --fail-on and --quiet --------------------------------------------------------------

#: The commands that check, each with a target that has warnings and no error.
CHECKERS = {
    "validate": [str(WARNING_ONLY)],
    "vocab check": ["lgsl"],
    "exchange check": [str(WARNING_ONLY)],
    "exchange reconcile": [str(STATEMENT)],  # a credit no payout explains: a warning
}


def test_every_checking_command_has_fail_on_and_quiet() -> None:
    have = {p for p, c in commands() if param(c, "fail_on") is not None}
    assert have == set(CHECKERS)
    assert all(param(c, "quiet") is not None for p, c in commands() if p in have)


@pytest.mark.parametrize("path", sorted(CHECKERS))
@pytest.mark.parametrize("fmt", ["text", "sarif"])
def test_fail_on_warning_fails_a_run_with_warnings(path: str, fmt: str) -> None:
    args = [*path.split(), *CHECKERS[path], "--format", fmt]
    passed = invoke(*args)
    assert passed.exit_code == 0, passed.output
    failed = invoke(*args, "--fail-on", "warning")
    assert failed.exit_code == 1, failed.output
    assert passed.stdout.count("warning") == failed.stdout.count("warning") > 0
    if fmt == "sarif":
        for result, code in ((passed, 0), (failed, 1)):
            (invocation,) = json.loads(result.stdout)["runs"][0]["invocations"]
            assert invocation["exitCode"] == code
            assert invocation["executionSuccessful"] is True


@pytest.mark.parametrize("path", sorted(CHECKERS))
def test_quiet_prints_nothing_for_a_passing_run(path: str) -> None:
    result = invoke(*path.split(), *CHECKERS[path], "--quiet")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    loud = invoke(*path.split(), *CHECKERS[path], "--quiet", "--fail-on", "warning")
    assert loud.exit_code == 1
    assert "warning" in loud.stdout


def test_quiet_prints_only_the_failing_documents(tmp_path: Path) -> None:
    result = invoke("validate", "--quiet", str(VALID), str(WARNING_ONLY), str(INVALID))
    assert result.exit_code == 1
    sources = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    assert sources == {str(INVALID)}
    assert "1 invalid" in result.stderr
    # a report file still gets every document
    target = tmp_path / "report.txt"
    invoke("validate", "--quiet", "-o", str(target), str(WARNING_ONLY), str(INVALID))
    assert str(WARNING_ONLY) in target.read_text("utf-8")


def test_quiet_conformance_check(tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    assert invoke("conformance", "export", str(kit)).exit_code == 0
    result = invoke("conformance", "check", "--quiet", str(kit))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    (kit / "epay" / "valid" / "payment-request.xml").write_text("<x/>", encoding="utf-8")
    failed = invoke("conformance", "check", "--quiet", str(kit))
    assert failed.exit_code == 1
    assert "FAIL epay/valid/payment-request.xml" in failed.stdout


# --- --exclude ------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in (
        "a/one.xml",
        "a/two.xml",
        "a/invalid/three.xml",
        "b/four.ttl",
        "b/deep/invalid-not/five.xml",
        "six.xml",
    ):
        target = tmp_path / "tree" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((TURTLE if name.endswith(".ttl") else VALID).read_bytes())
    return tmp_path / "tree"


EXCLUDES = {
    (): {
        "a/invalid/three.xml",
        "a/one.xml",
        "a/two.xml",
        "b/deep/invalid-not/five.xml",
        "b/four.ttl",
        "six.xml",
    },
    ("invalid",): {
        "a/one.xml",
        "a/two.xml",
        "b/deep/invalid-not/five.xml",
        "b/four.ttl",
        "six.xml",
    },
    ("invalid*",): {"a/one.xml", "a/two.xml", "b/four.ttl", "six.xml"},
    ("*.ttl", "a"): {"b/deep/invalid-not/five.xml", "six.xml"},
    ("a/*.xml",): {"b/deep/invalid-not/five.xml", "b/four.ttl", "six.xml"},
    ("b/deep",): {"a/invalid/three.xml", "a/one.xml", "a/two.xml", "b/four.ttl", "six.xml"},
    ("*",): set(),
}


@pytest.mark.parametrize("patterns", list(EXCLUDES), ids=lambda p: " ".join(p) or "none")
def test_exclude_leaves_out_what_it_matches(patterns: tuple[str, ...], tree: Path) -> None:
    from lgstandards.validation.batch import expand_path

    found = expand_path(str(tree), patterns)
    assert {Path(str(p)).relative_to(tree).as_posix() for p in found} == EXCLUDES[patterns]
    args = [a for p in patterns for a in ("--exclude", p)]
    result = invoke("validate", "--format", "json", *args, str(tree))
    if EXCLUDES[patterns]:
        assert result.exit_code == 0, result.output
        documents = json.loads(result.stdout)["documents"]
        assert len(documents) == len(EXCLUDES[patterns])
    else:
        assert result.exit_code == 2
        assert "less those excluded" in result.stderr
        assert invoke("validate", *args, "--allow-empty", str(tree)).exit_code == 0


def test_exclude_never_leaves_out_a_file_named_itself(tree: Path) -> None:
    result = invoke("validate", "--exclude", "*", str(tree / "six.xml"))
    assert result.exit_code == 0
    assert "1 document(s)" in result.stderr


# --- shell completion -----------------------------------------------------------------


def complete(line: str) -> list[tuple[str, str]]:
    words = line.split(" ")
    completer = ShellComplete(cli, {}, "lgstandards", "_LGSTANDARDS_COMPLETE")
    return [(i.type, i.value) for i in completer.get_completions(words[:-1], words[-1])]


def test_every_list_argument_completes_list_names() -> None:
    from lgstandards.vocab import LIST_NAMES

    seen = []
    for path, command in commands():
        for p in command.params:
            if isinstance(p, click.Argument) and "LIST" in (p.metavar or ""):
                seen.append(path)
                found = {v for t, v in complete(f"{path} ") if t == "plain"}
                expected = set(LIST_NAMES)
                if path in ("vocab show", "vocab search"):
                    expected.discard("transactions")
                assert found == expected, path
    assert {"vocab show", "vocab export", "vocab release", "vocab diff", "vocab check"} <= set(seen)


def test_completion_filters_by_prefix_and_offers_files() -> None:
    assert complete("vocab show lg") == [("plain", "lgsl"), ("plain", "lgil"), ("plain", "lgnl")]
    assert complete("vocab export t") == [("plain", "tiers"), ("plain", "transactions")]
    assert ("file", "lg") in complete("vocab check lg")
    assert complete("validate ex") == [("file", "ex")]


def test_kinds_complete() -> None:
    from lgstandards.cli._complete import known_kinds

    found = [v for _, v in complete("validate --kind epay.")]
    assert found == [k for k in known_kinds() if k.startswith("epay.")]
    assert "epay.payment-request" in found


def test_commands_and_options_complete() -> None:
    assert {v for _, v in complete("vo")} == {"vocab"}
    assert {"--exclude", "--fail-on"} <= {v for _, v in complete("validate --")}


def test_the_completion_script_and_a_completion_in_a_shell() -> None:
    env = {**os.environ, "_LGSTANDARDS_COMPLETE": "bash_source"}
    script = subprocess.run(
        [sys.executable, "-m", "lgstandards"], env=env, capture_output=True, text=True, timeout=60
    )
    assert script.returncode == 0
    assert "complete -o nosort -F _lgstandards_completion lgstandards" in script.stdout
    env.update(
        _LGSTANDARDS_COMPLETE="bash_complete",
        COMP_WORDS="lgstandards vocab show lgs",
        COMP_CWORD="3",
    )
    words = subprocess.run(
        [sys.executable, "-m", "lgstandards"], env=env, capture_output=True, text=True, timeout=60
    )
    assert words.stdout.split() == ["plain,lgsl"]


# --- one JSON envelope, one JSON Schema per output ----------------------------------------


def _schemas() -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        found[schema["$id"]] = schema
    return found


#: Every JSON output: (command, arguments).
JSON_RUNS = [
    ("validate", [str(VALID), str(INVALID), str(WARNING_ONLY)]),
    ("vocab check", ["lgsl"]),
    ("vocab diff", [str(RELEASE), str(RELEASE)]),
    ("vocab diff", ["tiers"]),
    ("vocab list", []),
    *[
        ("vocab show", [name, code])
        for name, code in (
            ("lgsl", "57"),
            ("lgil", "8"),
            ("functions", "1"),
            ("lgnl", "1"),
            ("tiers", "1"),
        )
    ],
    ("vocab search", ["lgsl", "tax"]),
    ("vocab search", ["lgsl", "no such words at all"]),
    ("conformance list", []),
    ("conformance check", []),
    ("info", []),
    ("info", ["--paths"]),
    ("exchange check", [str(VALID), str(INVALID)]),
    ("exchange status", []),
    ("exchange reconcile", [str(STATEMENT), str(PAYOUT)]),
    ("exchange reconcile", [str(STATEMENT)]),
]


@pytest.mark.parametrize(("path", "args"), JSON_RUNS, ids=lambda v: v if isinstance(v, str) else "")
def test_every_json_output_has_the_envelope_and_matches_its_schema(
    path: str, args: list[str], tmp_path: Path
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    extra = extra_args(path, tmp_path)
    result = invoke(*path.split(), *args, *extra, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert list(data)[:3] == ["lgstandards", "schema", "command"]
    assert data["command"] == path
    from lgstandards import __version__

    assert data["lgstandards"] == __version__
    schema = _schemas()[data["schema"]]
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, errors[0]


def test_every_json_command_is_run_and_every_schema_is_used() -> None:
    with_json = {p for p, c in formatted() if "json" in choices(c)}
    assert with_json == {p for p, _ in JSON_RUNS}
    documented = {
        re.sub(r"[^a-z]", "", p)
        for p in (
            "validate",
            "vocab check",
            "vocab diff",
            "vocab list",
            "vocab show",
            "vocab search",
            "conformance list",
            "conformance check",
            "info",
            "exchange check",
            "exchange status",
            "exchange reconcile",
        )
    }
    assert {re.sub(r"[^a-z]", "", p) for p in with_json} == documented
    for schema in _schemas().values():
        required = schema["required"][:3]
        if schema["$id"] != "urn:lgstandards:report:1.0":  # the shape before the envelope
            assert required == ["lgstandards", "schema", "command"], schema["$id"]
            assert schema["properties"]["schema"] == {
                "const": schema["$id"],
                "description": schema["properties"]["schema"]["description"],
            }


# --- SARIF ----------------------------------------------------------------------------


def _sarif(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    result = invoke("validate", "--format", "sarif", *args, env=env)
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize(
    ("documents", "code", "successful"),
    [([VALID], 0, True), ([INVALID], 1, True), ([Path("no-such-file.xml")], 2, False)],
)
def test_sarif_invocation_tells_the_exit_status_and_times(
    documents: list[Path], code: int, successful: bool
) -> None:
    exit_code, log = _sarif(*map(str, documents))
    assert exit_code == code
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["exitCode"] == code
    assert invocation["executionSuccessful"] is successful
    assert invocation["startTimeUtc"] <= invocation["endTimeUtc"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", invocation["endTimeUtc"])


def test_every_sarif_rule_links_its_documentation() -> None:
    from lgstandards.codes import registry

    _, log = _sarif(str(INVALID), str(WARNING_ONLY), "no-such-file.xml")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"xsd.pattern", "vocab.unofficial-code", "io.unreadable"}
    assert any(r["id"].startswith("rule.") for r in rules)
    for rule in rules:
        entry = registry()[rule["id"]]
        assert rule["helpUri"] == formats.help_uri(rule["id"])
        assert rule["helpUri"].startswith(formats.DEFAULT_DOCS_URL)
        assert entry.description in rule["fullDescription"]["text"]
        assert rule["helpUri"] in rule["fullDescription"]["text"]


def test_the_documentation_url_is_a_setting() -> None:
    _, log = _sarif(str(INVALID), env={formats.DOCS_URL_ENV: "https://docs.example.org/lgs"})
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://docs.example.org/lgs/"
    xsd = next(r for r in driver["rules"] if r["id"] == "xsd.pattern")
    assert (
        xsd["helpUri"]
        == "https://docs.example.org/lgs/reference/issue-codes.html#issue-xsd-pattern"
    )


def test_help_uris_point_at_the_anchors_the_documentation_makes() -> None:
    """Every registered code's anchor is the one the docs extension gives it."""
    pytest.importorskip("sphinx", reason="needs the docs extra")
    from lgstandards.codes import registry
    from lgstandards.sphinxext.codes import issue_anchor
    from lgstandards.sphinxext.rules import collect_rules, rule_anchor

    documented_rules = {r.id for r in collect_rules()}
    for code in registry():
        uri = formats.help_uri(code)
        page, _, anchor = uri.removeprefix(formats.docs_url()).partition("#")
        if code.startswith("rule."):
            assert code[5:] in documented_rules, code
            assert (page, anchor) == ("reference/rules.html", rule_anchor(code[5:]))
        else:
            assert (page, anchor) == ("reference/issue-codes.html", issue_anchor(code))
    assert (REPO / "docs" / "reference" / "rules.md").is_file()
    assert (REPO / "docs" / "reference" / "issue-codes.md").is_file()


def test_sarif_of_vocab_check_has_rules_and_invocation() -> None:
    result = invoke("vocab", "check", "lgsl", "--format", "sarif")
    run = json.loads(result.stdout)["runs"][0]
    assert run["invocations"][0]["exitCode"] == result.exit_code == 0
    assert all("helpUri" in r and "fullDescription" in r for r in run["tool"]["driver"]["rules"])
