"""Screened Schematron rules find exactly what the ISO skeleton finds.

A rule run on every record of a batch (EPAY-R014 on ``epay:PaymentRecord``) is left
out of the XSLT when it has a screen (:mod:`lgstandards.rules.screens`): the screen
clears the records that cannot fail, the rule's own test decides the others. These
tests generate records that break the rule in every way (dates out of order, equal,
missing, repeated, malformed as XSD would flag them, huge, split by comments, spaces
around them) and compare the findings, both languages, lines and paths, with the ISO
skeleton's; and check that the screen never clears a record the skeleton reports.
"""

from __future__ import annotations

from typing import Any

import pytest
from example_cases import findings
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from lgstandards.artefacts.catalogue import entry_for_kind
from lgstandards.rules.schematron import CompiledRules, compiled
from lgstandards.rules.screens import Records, date_order_suspects
from lgstandards.validation.svrl import located_issues, run_located

EPAY_SCH = entry_for_kind("epay.reconciliation-batch").rules_path
NS = "urn:lgstandards:epay:1"

DATE_TAGS = [
    "TransactionDate",
    "Created",
    "PeriodFrom",
    "CapturedDate",
    "SettledDate",
    "PostingDate",
    "PeriodTo",
    "PaidOutDate",
    "PaymentDate",
]

plain_dates = st.builds(
    lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
    st.integers(2023, 2025),
    st.integers(1, 12),
    st.integers(1, 28),
)
odd_dates = st.sampled_from(
    [
        "",
        "2024-5-01",
        "2024-05-01Z",
        "2024-05-01+01:00",
        " 2024-05-01 ",
        "2024-05-01T10:00:00",
        "20240501",
        "abc",
        "-2024-05-01",
        "2024-05-01.5",
        "99999999999999999999-01-01",
        "999999999999999999999999-12-31",
        "１２３４-05-01",
    ]
)
values = st.one_of(plain_dates, plain_dates, odd_dates)


@st.composite
def children(draw: Any) -> str:
    tag = draw(st.sampled_from(DATE_TAGS))
    value = draw(values)
    if draw(st.integers(0, 9)) == 0:  # a comment splits the text
        cut = draw(st.integers(0, len(value)))
        value = f"{value[:cut]}<!-- x -->{value[cut:]}"
    return f"<epay:{tag}>{value}</epay:{tag}>"


records = st.lists(st.lists(children(), max_size=5), min_size=1, max_size=12)


def batch(items: list[list[str]]) -> etree._ElementTree:
    body = "".join(
        f"<epay:PaymentRecord><epay:RecordType>PAYMENT</epay:RecordType>{''.join(c)}"
        "</epay:PaymentRecord>"
        for c in items
    )
    header = (
        "<epay:BatchHeader><epay:PeriodFrom>2024-05-01</epay:PeriodFrom>"
        "<epay:PeriodTo>2024-05-31</epay:PeriodTo></epay:BatchHeader>"
    )
    text = f'<epay:ReconciliationBatch xmlns:epay="{NS}">{header}{body}</epay:ReconciliationBatch>'
    return etree.fromstring(text).getroottree()


def screened_findings(rules: Any, tree: etree._ElementTree) -> list[Any]:
    """The findings with the screens used, however small the batch."""
    return findings(issue for issue, _ in run_located(rules, tree, screen_from=0))


def skeleton_findings(tree: etree._ElementTree) -> list[Any]:
    assert EPAY_SCH is not None
    rules = compiled(EPAY_SCH)
    rules.validator.validate(tree)
    report = rules.validator.validation_report
    return findings(i for i, _ in located_issues(report, tree, prefixes=rules.prefixes))


@settings(max_examples=150, deadline=None)
@given(items=records)
def test_screened_date_order_gives_the_skeletons_findings(items: list[list[str]]) -> None:
    assert EPAY_SCH is not None
    tree = batch(items)
    rules = compiled(EPAY_SCH)
    _, failures = rules.checked(tree, screen_from=0)
    assert screened_findings(rules, tree) == skeleton_findings(tree)
    reported = [f for f in skeleton_findings(tree) if f[0] == "rule.EPAY-R014"]
    # the record rule ran outside the XSLT: its failures came from the screened path
    record_failures = [f for f in failures if f.element.tag == f"{{{NS}}}PaymentRecord"]
    assert len(record_failures) == len([f for f in reported if "PaymentRecord" in (f[2] or "")])


@settings(max_examples=150, deadline=None)
@given(items=records)
def test_the_screen_never_clears_a_record_the_skeleton_reports(items: list[list[str]]) -> None:
    tree = batch(items)
    suspects = date_order_suspects(Records(tree.getroot()))
    assert suspects is not None
    reported = {
        element
        for issue, element in _skeleton_located(tree)
        if issue.code == "rule.EPAY-R014" and element.tag == f"{{{NS}}}PaymentRecord"
    }
    assert reported <= set(suspects)


def _skeleton_located(tree: etree._ElementTree) -> list[Any]:
    assert EPAY_SCH is not None
    rules = compiled(EPAY_SCH)
    rules.validator.validate(tree)
    return list(located_issues(rules.validator.validation_report, tree, prefixes=rules.prefixes))


def test_a_plain_batch_in_order_has_no_suspects() -> None:
    items = [
        [
            "<epay:TransactionDate>2024-05-01</epay:TransactionDate>",
            f"<epay:CapturedDate>2024-05-{day:02d}</epay:CapturedDate>",
        ]
        for day in (1, 2, 9)
    ]
    tree = batch(items)
    assert date_order_suspects(Records(tree.getroot())) == []
    swapped = batch([[items[0][1].replace("05-01", "04-30"), items[0][0]]])
    assert len(date_order_suspects(Records(swapped.getroot())) or []) == 1


record_types = st.lists(
    st.sampled_from(
        [
            ["PAYMENT"],
            ["PAYMENT"],
            ["REFUND"],
            ["DISPUTE"],
            [],
            ["PAYMENT", "REFUND"],
            [" PAYMENT"],
            ["payment"],
            ["PAY<!-- x -->MENT"],
        ]
    ),
    max_size=10,
)


@st.composite
def stated_counts(draw: Any, actual: int) -> str:
    return draw(
        st.sampled_from(
            [str(actual), str(actual), str(actual + 1), f" {actual} ", f"{actual}.0", "x", ""]
        )
    )


@settings(max_examples=150, deadline=None)
@given(data=st.data(), types=record_types, trailers=st.integers(0, 2))
def test_screened_trailer_counts_give_the_skeletons_findings(
    data: Any, types: list[list[str]], trailers: int
) -> None:
    assert EPAY_SCH is not None
    body = "".join(
        "<epay:PaymentRecord>"
        + "".join(f"<epay:RecordType>{t}</epay:RecordType>" for t in kinds)
        + "</epay:PaymentRecord>"
        for kinds in types
    )
    actual = {
        "RecordCount": len(types),
        "PaymentCount": sum(k[:1] == ["PAYMENT"] or "PAYMENT" in k for k in types),
        "RefundCount": sum("REFUND" in k for k in types),
        "DisputeCount": sum("DISPUTE" in k for k in types),
    }
    trailer = "".join(
        "<epay:Trailer>"
        + "".join(
            f"<epay:{name}>{data.draw(stated_counts(count))}</epay:{name}>"
            for name, count in actual.items()
        )
        + "</epay:Trailer>"
        for _ in range(trailers)
    )
    text = f'<epay:ReconciliationBatch xmlns:epay="{NS}">{body}{trailer}</epay:ReconciliationBatch>'
    tree = etree.fromstring(text).getroottree()
    rules = compiled(EPAY_SCH)
    expected = skeleton_findings(tree)
    assert screened_findings(rules, tree) == expected
    # the trailer rule ran outside the XSLT: its failures came from the screened path
    _, failures = rules.checked(tree, screen_from=0)
    screened = [f for f in failures if f.id in ("COM-R008", "COM-R009")]
    assert len(screened) == len([f for f in expected if f[0] in ("rule.COM-R008", "rule.COM-R009")])


def _naive_values(records: list[Any], tag: str) -> list[Any]:
    from lgstandards.rules.screens import ODD

    values: list[Any] = []
    for record in records:
        children = [c for c in record if c.tag == tag]
        if not children:
            values.append(None)
        elif len(children) > 1 or len(children[0]):
            values.append(ODD)
        else:
            values.append(children[0].text or "")
    return values


def _check_plain_column(root: etree._Element, found: list[Any], tag: str) -> None:
    """plain_column: the naive values when none is missing or odd, else None; of any records."""
    from lgstandards.rules.screens import ODD, plain_column

    for records in (found, found[: len(found) // 2], found[len(found) // 2 :], found[1::2]):
        naive = _naive_values(records, tag)
        expected = None if None in naive or ODD in naive else naive
        assert plain_column(root, records, tag) == expected


def _check_columns(root: etree._Element) -> None:
    """child_values and plain_column of the records' ``V`` column, against the naive read."""
    from lgstandards.rules.screens import child_values

    found = list(root.iter(f"{{{NS}}}PaymentRecord"))
    tag = f"{{{NS}}}V"
    assert child_values(root, found, tag) == _naive_values(found, tag)
    _check_plain_column(root, found, tag)


cells = st.sampled_from(
    [
        "",
        "<epay:V>1</epay:V>",
        "<epay:V/>",
        "<epay:V></epay:V>",
        "<epay:V>1<!--c-->2</epay:V>",
        "<epay:V>1<?pi x?>2</epay:V>",
        "<epay:V><![CDATA[1<2]]></epay:V>",
        "<epay:V>&#49;&#x32;</epay:V>",
        "<epay:V> 1 \n</epay:V>",
        "<epay:V><epay:V>1</epay:V></epay:V>",
        "<epay:W><epay:V>1</epay:V></epay:W>",
        "<x:V xmlns:x='urn:lgstandards:epay:1'>2</x:V>",
        "<V xmlns='urn:lgstandards:epay:1'>3</V>",
        "<epay:V xmlns:epay='urn:other'>4</epay:V>",
        "<!--c-->",
    ]
)


def _cells_batch(
    before: str, rows: list[list[str]], after: list[str], *, nested: bool
) -> etree._Element:
    """A batch of ``cells``: ``before`` in the header, a record per row, ``after`` in the
    trailer (``nested``: with a record inside the trailer, holding the first of them)."""
    records = "".join(f"<epay:PaymentRecord>{''.join(r)}</epay:PaymentRecord>" for r in rows)
    inner = f"<epay:PaymentRecord>{after[0]}</epay:PaymentRecord>" if nested and after else ""
    trailer = f"<epay:Trailer>{''.join(after)}{inner}</epay:Trailer>"
    return etree.fromstring(
        f'<epay:ReconciliationBatch xmlns:epay="{NS}"><epay:Header>{before}</epay:Header>'
        f"{records}{trailer}</epay:ReconciliationBatch>"
    )


@settings(max_examples=200, deadline=None)
@given(
    before=cells,
    rows=st.lists(st.lists(cells, max_size=3), max_size=8),
    after=st.lists(cells, max_size=3),
    nested=st.booleans(),
)
def test_child_values_reads_each_records_one_child(
    before: str, rows: list[list[str]], after: list[str], nested: bool
) -> None:
    root = _cells_batch(before, rows, after, nested=nested)
    _check_columns(root)


def test_a_screen_that_fails_leaves_the_rule_to_the_xslt(monkeypatch: Any) -> None:
    from lgstandards.rules import screens
    from lgstandards.rules.schematron import MAX_GIVEN

    assert EPAY_SCH is not None
    record = [
        "<epay:TransactionDate>2024-05-02</epay:TransactionDate>",
        "<epay:CapturedDate>2024-05-01</epay:CapturedDate>",
    ]
    items = [record] * (MAX_GIVEN + 1)  # too many records to evaluate the rule on each
    tree = batch(items)
    rules = compiled(EPAY_SCH)

    def broken(self: Any, tag: str) -> list[Any]:
        raise RuntimeError("a screen's bug")

    monkeypatch.setattr(screens.Records, "column", broken)
    _, failures = rules.checked(tree, screen_from=0)
    assert failures == []  # nothing screened: the XSLT ran the rules
    found = screened_findings(rules, tree)
    assert found == skeleton_findings(tree)
    assert len([f for f in found if f[0] == "rule.EPAY-R014"]) == MAX_GIVEN + 1


def test_screens_are_used_from_screen_from_records() -> None:
    from lgstandards.rules.schematron import SCREEN_FROM

    assert EPAY_SCH is not None
    rules = compiled(EPAY_SCH)
    record = [
        "<epay:TransactionDate>2024-05-02</epay:TransactionDate>",
        "<epay:CapturedDate>2024-05-01</epay:CapturedDate>",
    ]
    for count, screened in ((SCREEN_FROM - 1, False), (SCREEN_FROM, True)):
        tree = batch([record] * count)
        _, failures = rules.checked(tree)
        assert (len(failures) == count) is screened
        assert screened_findings(rules, tree) == skeleton_findings(tree)


def test_collection_paused_restores_the_collectors_state() -> None:
    """Paused inside, as it was after (on or off), when nested and when the block raises."""
    import gc

    from lgstandards.rules.screens import CollectionPaused

    was = gc.isenabled()
    try:
        for start in (True, False):
            (gc.enable if start else gc.disable)()
            with CollectionPaused():
                assert not gc.isenabled()
                with CollectionPaused():
                    assert not gc.isenabled()
                assert not gc.isenabled()  # the outer block still holds it
            assert gc.isenabled() is start
            try:
                with CollectionPaused():
                    raise RuntimeError("a rule's bug")
            except RuntimeError:
                pass
            assert gc.isenabled() is start
    finally:
        (gc.enable if was else gc.disable)()


one_v = st.sampled_from(
    [
        "<epay:V>1</epay:V>",
        "<epay:V/>",
        "<epay:V>1<!--c-->2</epay:V>",
        "<epay:V>1<?pi x?>2</epay:V>",
        "<epay:V><![CDATA[1<2]]></epay:V>",
        "<epay:V>&#49;</epay:V>",
        "<epay:V><epay:X/>1</epay:V>",
        "<x:V xmlns:x='urn:lgstandards:epay:1'>2</x:V>",
    ]
)
others = st.sampled_from(
    ["", "<epay:W>9</epay:W>", "<!--c-->", "<epay:W><epay:V>5</epay:V></epay:W>"]
)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(others, one_v, others), min_size=1, max_size=8),
    plain=st.booleans(),
    after=st.sampled_from(["", "<epay:V>7</epay:V>", "<epay:V>7<!--c--></epay:V>"]),
)
def test_child_values_of_a_column_with_one_child_in_each_record(
    rows: list[tuple[str, str, str]], plain: bool, after: str
) -> None:
    """The column read at once (one child in every record) is read as record by record."""
    if plain:  # mostly the usual case, to reach the column read at once
        rows = [("", "<epay:V>1</epay:V>", "")] * (len(rows) - 1) + rows[-1:]
    records = "".join(f"<epay:PaymentRecord>{''.join(r)}</epay:PaymentRecord>" for r in rows)
    root = etree.fromstring(
        f'<epay:ReconciliationBatch xmlns:epay="{NS}">{records}'
        f"<epay:Trailer>{after}</epay:Trailer></epay:ReconciliationBatch>"
    )
    _check_columns(root)


header_values = st.sampled_from(["GBP", "EUR", " GBP", "", "GBP<!-- c -->", "G<?p?>BP"])
narratives = st.sampled_from(["", "short", "x" * 50, "x" * 51, "é" * 60])
header_dates = st.sampled_from(
    [
        "<epay:PeriodFrom>2024-05-01</epay:PeriodFrom><epay:PeriodTo>2024-05-31</epay:PeriodTo>",
        "<epay:PeriodFrom>2024-05-31</epay:PeriodFrom><epay:PeriodTo>2024-05-01</epay:PeriodTo>",
        "<epay:PeriodFrom>2024-05-01</epay:PeriodFrom>",
        "<epay:PeriodTo>x</epay:PeriodTo>",
        "",
    ]
)


@settings(max_examples=120, deadline=None)
@given(
    currencies=st.lists(header_values, min_size=0, max_size=3),
    dates=header_dates,
    notes=st.lists(narratives, max_size=40),
    items=records,
)
def test_rules_left_to_python_give_the_skeletons_findings(
    currencies: list[str], dates: str, notes: list[str], items: list[list[str]]
) -> None:
    """Guards left with their few elements given are evaluated without the XSLT, alike."""
    from lgstandards.rules.schematron import MAX_GIVEN

    assert EPAY_SCH is not None
    header = (
        f"<epay:BatchHeader>{dates}"
        + "".join(f"<epay:Currency>{c}</epay:Currency>" for c in currencies)
        + "".join(f"<epay:Narrative>{n}</epay:Narrative>" for n in notes)
        + "</epay:BatchHeader>"
    )
    body = "".join(
        f"<epay:PaymentRecord><epay:RecordType>PAYMENT</epay:RecordType>{''.join(c)}"
        "</epay:PaymentRecord>"
        for c in items
    )
    text = f'<epay:ReconciliationBatch xmlns:epay="{NS}">{header}{body}</epay:ReconciliationBatch>'
    tree = etree.fromstring(text).getroottree()
    rules = compiled(EPAY_SCH)
    assert screened_findings(rules, tree) == skeleton_findings(tree)
    report, _ = rules.checked(tree, screen_from=0)
    ran = report.getroot().find("{http://purl.oclc.org/dsdl/svrl}active-pattern") is not None
    assert ran is (len(notes) > MAX_GIVEN)  # the XSLT runs only for what cannot be given
    # the issues, in their order, are those of the XSLT running the rules left
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CompiledRules, "_given_failures", lambda *_: None)
        via_xslt = [issue for issue, _ in run_located(rules, tree, screen_from=0)]
    assert [issue for issue, _ in run_located(rules, tree, screen_from=0)] == via_xslt


def test_a_rule_python_cannot_evaluate_is_left_to_the_xslt(monkeypatch: Any) -> None:
    from lgstandards.rules import schematron

    assert EPAY_SCH is not None
    tree = batch([["<epay:TransactionDate>2024-05-02</epay:TransactionDate>"]])
    rules = compiled(EPAY_SCH)

    def broken(self: Any, elements: list[Any], namespaces: Any) -> None:
        return None  # as when lxml cannot evaluate a test alone

    monkeypatch.setattr(schematron._Screened, "evaluated", broken)
    report, _ = rules.checked(tree, screen_from=0)
    assert report.getroot().find("{http://purl.oclc.org/dsdl/svrl}active-pattern") is not None
    assert screened_findings(rules, tree) == skeleton_findings(tree)


LETS = (
    ("records", "../epay:PaymentRecord"),
    ("first", "string($records[1]/epay:RecordType)"),
    ("n", "count($records) + string-length($first)"),
)
expressions = st.sampled_from(
    [
        "count($records)",
        "$records[epay:RecordType[. = 'PAYMENT']]",
        "count($records[epay:RecordType = $first])",  # inside a predicate: not inlined
        "$n * 2 - count($records/epay:RecordType)",
        "concat('$records', $first, \"$n\")",
        "number(epay:RecordCount) = count($records)",
        "$records[last()]/epay:RecordType",
        "$undeclared",
        "boolean($records)",
        "string($records)",
    ]
)


@settings(max_examples=150, deadline=None)
@given(types=record_types, expression=expressions)
def test_inlined_variables_give_what_the_variables_give(
    types: list[list[str]], expression: str
) -> None:
    """An expression with the rule's variables written in evaluates as with them passed."""
    from lgstandards.rules.schematron import inline_lets

    body = "".join(
        "<epay:PaymentRecord>"
        + "".join(f"<epay:RecordType>{t}</epay:RecordType>" for t in kinds)
        + "</epay:PaymentRecord>"
        for kinds in types
    )
    root = etree.fromstring(
        f'<epay:ReconciliationBatch xmlns:epay="{NS}">{body}'
        "<epay:Trailer><epay:RecordCount>2</epay:RecordCount></epay:Trailer>"
        "</epay:ReconciliationBatch>"
    )
    trailer = root[-1]
    namespaces = {"epay": NS}
    variables: dict[str, Any] = {}
    for name, value in LETS:
        variables[name] = trailer.xpath(value, namespaces=namespaces, **variables)
    inlined = inline_lets(expression, LETS)
    if "$first]" in expression or "$undeclared" in expression:
        assert inlined is None
        return
    assert inlined is not None
    expected = trailer.xpath(expression, namespaces=namespaces, **variables)
    assert trailer.xpath(inlined, namespaces=namespaces) == expected


def test_variables_are_not_inlined_where_that_could_change_them() -> None:
    from lgstandards.rules.schematron import inline_lets

    lets = (("v", "string(.)"),)
    assert inline_lets("../x[@id = $v]", lets) is None  # a predicate's context differs
    assert inline_lets("$v]", lets) is None
    assert inline_lets("x[$v", lets) is None
    assert inline_lets("'[' = $v", lets) == "'[' = (string(.))"  # a bracket in a string
    assert inline_lets("$v2", lets) is None


def test_the_trailer_rule_is_evaluated_without_passing_its_records() -> None:
    """COM-R008/9's ``$records`` is written into the tests: no node-set goes through Python.

    (lxml rebuilds a node-set variable in time quadratic in its size: seconds for a
    trailer finding in a batch of 100,000 records.)
    """
    from lgstandards.rules.schematron import _screened

    assert EPAY_SCH is not None
    rules = compiled(EPAY_SCH)
    trailer = [g for g in _screened(rules.path, rules.streamlined).values() if g.rule.lets]
    assert trailer
    assert all(test is not None for g in trailer for test in g.tests)


def test_a_valid_batch_whose_rules_python_evaluates_never_compiles_the_xslt() -> None:
    """The XSLT is compiled on its first run only: a large valid batch never runs it."""
    from lgstandards.rules import schematron
    from lgstandards.rules.schematron import SCREEN_FROM

    assert EPAY_SCH is not None
    record = [
        "<epay:TransactionDate>2024-05-01</epay:TransactionDate>",
        "<epay:CapturedDate>2024-05-02</epay:CapturedDate>",
    ]
    schematron.compiled.cache_clear()
    schematron._transform.cache_clear()
    try:
        rules = compiled(EPAY_SCH)
        report, failures = rules.checked(batch([record] * SCREEN_FROM))
        assert failures == []
        assert not report.getroot().xpath("//*[local-name() = 'failed-assert']")
        assert schematron._transform.cached_here() == 0
        rules.checked(batch([record] * 3))  # a small batch: the XSLT runs
        assert schematron._transform.cached_here() == 1
    finally:
        schematron.compiled.cache_clear()


@settings(max_examples=200, deadline=None)
@given(
    before=cells,
    rows=st.lists(st.lists(cells, max_size=3), max_size=8),
    after=st.lists(cells, max_size=3),
    nested=st.booleans(),
)
def test_the_shared_texts_of_a_name_are_every_elements_text(
    before: str, rows: list[list[str]], after: list[str], nested: bool
) -> None:
    """Records.texts: the texts of every ``V`` in the document, or None (then read them).

    Never a set when a ``V`` has child nodes; the column, the header's and the trailer's.
    """
    from lgstandards.rules.screens import sharing

    root = _cells_batch(before, rows, after, nested=nested)
    tag = f"{{{NS}}}V"
    every = list(root.iter(tag))
    with sharing(root) as shared:
        found = shared.texts(tag)
        assert shared.column(tag) == _naive_values(list(root.iter(f"{{{NS}}}PaymentRecord")), tag)
    if found is not None:
        assert not any(len(element) for element in every)
        assert found == {element.text or "" for element in every}
    regular = all(sorted(c for c in r if c) == ["<epay:V>1</epay:V>"] for r in rows)
    plain = all(c in ("", "<epay:V>1</epay:V>") for c in [before, *after])
    if regular and plain and not (nested and after):
        assert found is not None  # the usual batch: no element read twice
