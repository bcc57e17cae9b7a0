"""A Schematron file is read once, with the safe parser, into what every reader needs.

The issue-code registry, the documentation, the streaming aggregates and the rule
runner all read the same :func:`~lgstandards.artefacts.declarations.declarations`;
its text model renders a message exactly as the ISO skeleton does.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from lgstandards.artefacts import declarations as module
from lgstandards.artefacts.declarations import declarations, declared_rules
from lgstandards.artefacts.kinds import KindSpec
from lgstandards.exceptions import SchemaNotFoundError
from lgstandards.report import Severity
from lgstandards.rules.schematron import compiled
from lgstandards.validation.aggregates import aggregates_for
from lgstandards.validation.svrl import run

SCH = "http://purl.oclc.org/dsdl/schematron"
HEAD = f'<sch:schema xmlns:sch="{SCH}" queryBinding="xslt"><sch:ns prefix="t" uri="urn:t"/>'
BATCH = (
    HEAD
    + """<sch:let name="limit" value="3"/>
  <sch:pattern><sch:rule context="t:Batch/t:Trailer">
    <sch:let name="records" value="../t:Record"/>
    <sch:assert id="T-R001" role="WARNING" test="count($records) = number(t:Count)"
        diagnostics="T-R001-en T-R001-cy"
        >count <sch:value-of select="count($records)"/> is not <sch:name/></sch:assert>
    <sch:report test="false()">no id</sch:report>
  </sch:rule></sch:pattern>
  <sch:diagnostics>
    <sch:diagnostic id="T-R001-en" xml:lang="en">English again</sch:diagnostic>
    <sch:diagnostic id="T-R001-cy" xml:lang="cy"
        >nid <sch:value-of select="t:Count"/></sch:diagnostic>
  </sch:diagnostics>
</sch:schema>"""
)


def _write(folder: Path, text: str, name: str = "rules.sch") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_everything_a_file_declares(tmp_path: Path) -> None:
    declared = declarations(_write(tmp_path, BATCH))
    assert dict(declared.namespaces) == {"t": "urn:t"}
    assert dict(declared.prefixes) == {"urn:t": "t"}
    assert declared.lets == (("limit", "3"),)
    (rule,) = declared.rules
    assert rule.context == "t:Batch/t:Trailer"
    assert rule.lets == (("records", "../t:Record"),)
    check, unnamed = rule.checks
    assert (check.id, check.is_assert, check.severity) == ("T-R001", True, Severity.WARNING)
    assert check.diagnostics == ("T-R001-en", "T-R001-cy")
    assert check.message.template == "count {count($records)} is not {name}"
    assert check.welsh is not None
    assert check.welsh.template == "nid {t:Count}"  # the Welsh one, not the first one
    assert (unnamed.id, unnamed.is_assert) == (None, False)
    assert declared.welsh_diagnostics == {"T-R001-cy"}
    (only,) = declared.declared_rules
    assert (only.code, only.message_en, only.message_cy) == (
        "rule.T-R001",
        "count {count($records)} is not {name}",
        "nid {t:Count}",
    )


def test_every_reader_shares_one_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[object] = []
    real = module.parse_xml

    def counting(source: object) -> etree._ElementTree:
        parses.append(source)
        return real(source)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "parse_xml", counting)
    path = _write(tmp_path, BATCH)
    spec = KindSpec("test.once", "urn:t", "Batch", None, rules_file=path, record="Record")
    assert [r.id for r in declared_rules(path)] == ["T-R001"]
    assert compiled(path).prefixes == {"urn:t": "t"}
    (totals,) = aggregates_for(spec)
    assert totals.codes == {"rule.T-R001"}
    assert declarations(path) is declarations(path)
    assert parses == [path]


HOSTILE = {
    "internal entity": '<!DOCTYPE sch:schema [<!ENTITY e "boom">]>',
    "external entity": '<!DOCTYPE sch:schema [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    "external DTD": '<!DOCTYPE sch:schema SYSTEM "http://example.org/x.dtd">',
}


@pytest.mark.parametrize("prolog", sorted(HOSTILE))
def test_a_schematron_file_with_a_dtd_is_refused_by_every_reader(
    tmp_path: Path, prolog: str
) -> None:
    path = _write(tmp_path, HOSTILE[prolog] + BATCH)
    spec = KindSpec("test.dtd", "urn:t", "Batch", None, rules_file=path, record="Record")
    for reader in (declarations, declared_rules, compiled, lambda p: aggregates_for(spec)):
        with pytest.raises(SchemaNotFoundError, match=r"rules\.sch"):
            reader(path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [(None, "missing"), ("<sch:schema", "cannot be read"), ("<schema/>", "not an ISO")],
)
def test_an_unreadable_schematron_file_is_named(
    tmp_path: Path, text: str | None, problem: str
) -> None:
    path = tmp_path / "rules.sch" if text is None else _write(tmp_path, text)
    with pytest.raises(SchemaNotFoundError, match=problem) as caught:
        declarations(path)
    assert "rules.sch" in str(caught.value)


WORDS = st.text(alphabet=st.sampled_from("ab <>&'\"\n\t  ."), max_size=8)
SELECTS = st.sampled_from(["t:V", "string-length(t:V)", "'lit'", "count(t:*)", "name()", "@n"])
DIAGNOSTIC_PARTS = st.one_of(
    WORDS.map(lambda w: ("text", w)),
    SELECTS.map(lambda s: ("value-of", s)),
    WORDS.map(lambda w: ("emph", w)),
)
#: An assertion may also hold ``sch:name`` (a diagnostic may not).
PARTS = st.lists(st.one_of(DIAGNOSTIC_PARTS, st.just(("name", ""))), max_size=6)


def _markup(parts: list[tuple[str, str]]) -> str:
    out = []
    for kind, value in parts:
        if kind == "text":
            out.append(escape(value, quote=False))
        elif kind == "value-of":
            out.append(f'<sch:value-of select="{escape(value)}"/>')
        elif kind == "name":
            out.append("<sch:name/>")
        else:
            out.append(f"<sch:emph>{escape(value, quote=False)}</sch:emph>")
    return "".join(out)


@settings(max_examples=60, deadline=None)
@given(english=PARTS, welsh=st.lists(DIAGNOSTIC_PARTS, max_size=6))
def test_the_text_model_renders_as_the_iso_skeleton(
    tmp_path_factory: pytest.TempPathFactory,
    english: list[tuple[str, str]],
    welsh: list[tuple[str, str]],
) -> None:
    path = _write(
        tmp_path_factory.mktemp("sch"),
        HEAD
        + '<sch:pattern><sch:rule context="t:Root">'
        + '<sch:report id="T-R009" test="true()" diagnostics="T-R009-cy">'
        + _markup(english)
        + "</sch:report></sch:rule></sch:pattern><sch:diagnostics>"
        + f'<sch:diagnostic id="T-R009-cy" xml:lang="cy">{_markup(welsh)}</sch:diagnostic>'
        + "</sch:diagnostics></sch:schema>",
    )
    document = etree.fromstring(b'<t:Root xmlns:t="urn:t" n="7"><t:V> v  1 </t:V></t:Root>')
    (issue,) = run(compiled(path), document.getroottree())
    (check,) = declarations(path).rules[0].checks
    assert check.welsh is not None

    def value_of(select: str) -> str:
        return str(document.xpath(f"string({select})", namespaces={"t": "urn:t"}))

    def name(path: str) -> str:
        return str(document.xpath("name()"))

    assert check.message.render(value_of, name) == issue.message
    assert check.welsh.render(value_of, name) == (issue.message_cy or "")
