"""e-Pay Python rules: check-digit routines, fund table, card-number scan, gateway limits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from lgstandards.rules import epay as rules
from lgstandards.rules import python_rules, rules_for
from lgstandards.validation.profile import Profile
from lgstandards.validation.svrl import run_business_rules


@pytest.mark.parametrize("number", ["4000000000000002", "79927398713", "0"])
def test_luhn_known_values(number: str) -> None:
    assert rules.luhn_valid(number)
    assert not rules.luhn_valid(number[:-1] + str((int(number[-1]) + 1) % 10))


@given(st.from_regex(r"\A[0-9]{1,12}\Z"))
def test_mod11_check_is_detected(payload: str) -> None:
    check = rules.mod11_check_character(payload)
    assert rules.mod11_valid(payload + check)
    wrong = "0" if check != "0" else "1"
    assert not rules.mod11_valid(payload + wrong)


def test_mod97_iban_style() -> None:
    assert rules.mod97_valid("3214282912345698765432161182")  # GB-style check, rearranged
    assert not rules.mod97_valid("3214282912345698765432161183")


def test_fund_rule_reasons() -> None:
    ct = rules.DEFAULT_FUND_TABLE["CT"]
    assert ct.problem("500000018") is None
    assert "check digit" in (ct.problem("500000019") or "")
    assert "does not match" in (ct.problem("600000018") or "")


def _request(
    fund: str, reference: str, description: str = "Parking", total: str = "10.00"
) -> etree._ElementTree:
    xml = f"""<epay:PaymentRequest xmlns:epay="urn:lgstandards:epay:1"
      xmlns:lgc="urn:lgstandards:common:1" SchemaVersion="1.0">
      <epay:Line><epay:FundCode>{fund}</epay:FundCode>
      <epay:AccountReference>{reference}</epay:AccountReference>
      <epay:Description>{description}</epay:Description><epay:Amount>{total}</epay:Amount></epay:Line>
      <epay:SaleTotal>{total}</epay:SaleTotal></epay:PaymentRequest>"""
    return etree.ElementTree(etree.fromstring(xml))


def _codes(tree: etree._ElementTree, profile: Profile | None = None) -> set[str]:
    if profile is None:
        return {i.code for i in run_business_rules(tree, "epay.payment-request")}
    found = set()
    for rule in rules_for("epay.payment-request"):
        found.update(i.code for i in rule.run(tree.getroot(), profile=profile))
    return found


def test_a_profiles_fund_table_is_used() -> None:
    assert "rule.EPAY-R006" not in _codes(_request("RENT", "X1"))
    rent = Profile(funds={"RENT": rules.FundRule("RENT", r"[0-9]{7}", "luhn")})
    assert "rule.EPAY-R006" in _codes(_request("RENT", "X1"), rent)
    assert "rule.EPAY-R006" not in _codes(_request("RENT", "0000018"), rent)
    assert "rule.EPAY-R006" not in _codes(_request("RENT", "X1"))  # nothing global changed
    with pytest.raises(ValueError, match="unknown check-digit routine"):
        Profile(funds={"X": rules.FundRule("X", ".*", "mod7")})


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("card 4000 0000 0000 0002 used", ["4000000000000002"]),
        ("card 4000-0000-0000-0002", ["4000000000000002"]),
        ("ref 4000000000000001", []),
        ("masked 400000******0002", []),
        ("uprn 100000000001", []),
    ],
)
def test_card_number_scan(text: str, found: list[str]) -> None:
    assert rules.find_card_numbers(text) == found


def test_security_code_element_is_refused() -> None:
    tree = _request("PCN", "ZZ12345678")
    line = tree.getroot()[0]
    etree.SubElement(line, "{urn:lgstandards:epay:1}CVV").text = "123"
    assert "rule.EPAY-R008" in _codes(tree)


def test_gateway_limits_come_from_the_profile() -> None:
    request = _request("PCN", "ZZ12345678", total="500.00")
    assert "rule.EPAY-R004" not in _codes(request)
    small = Profile(gateway_limits=(Decimal("0.01"), Decimal("100.00")))
    assert "rule.EPAY-R004" in _codes(request, small)
    assert "rule.EPAY-R004" not in _codes(request)
    with pytest.raises(ValueError, match="gateway limits"):
        Profile(gateway_limits=(Decimal("100.00"), Decimal("0.01")))


CARD = "4000000000000002"


def _spelled(digits: str, how: str) -> str:
    """Write ``digits`` in XML text the way ``how`` names (each parses back to the digits)."""
    if how == "plain":
        return digits
    if how == "spaced":
        return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    if how == "hyphens":
        return "-".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    if how == "charref":
        return digits[:8] + "".join(f"&#{ord(c)};" for c in digits[8:])
    if how == "hexref":
        return f"&#x{ord(digits[0]):x};{digits[1:]}"
    if how == "cdata":
        return f"{digits[:6]}<![CDATA[{digits[6:10]}]]>{digits[10:]}"
    if how == "newline":
        return digits[:8] + "\n" + digits[8:]
    raise AssertionError(how)


HOWS = ["plain", "spaced", "hyphens", "charref", "hexref", "cdata", "newline"]


@given(
    how=st.sampled_from(HOWS),
    where=st.sampled_from(["text", "attribute", "none", "security"]),
    encoding=st.sampled_from(["UTF-8", "UTF-16", "ISO-8859-1", None]),
    filler=st.text(alphabet="0123456789 -abc", max_size=30),
)
def test_card_screen_never_hides_a_finding(
    how: str, where: str, encoding: str | None, filler: str
) -> None:
    spelled = _spelled(CARD, how)
    note = f"<epay:Note>{filler}</epay:Note>"
    if where == "text":
        body = f"<epay:Note>paid with {spelled} today</epay:Note>"
    elif where == "attribute" and how not in ("cdata",):
        body = f'<epay:Note ref="{spelled}">x</epay:Note>'
    elif where == "security":
        body = "<epay:CVV>123</epay:CVV>"
    else:
        body = ""
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else ""
    text = f'{declaration}<epay:Doc xmlns:epay="urn:lgstandards:epay:1">{note}{body}</epay:Doc>'
    data = text.encode(encoding or "UTF-8")
    root = etree.fromstring(data)
    rule = python_rules()["EPAY-R008"]
    screened = [(i.line, i.path, i.message) for i in rule.run(root, data=data)]
    unscreened = [(i.line, i.path, i.message) for i in rule.run(root)]
    assert screened == unscreened
    if body and how != "newline":
        assert unscreened, "the rule itself finds the card data"


def test_card_screen_skips_documents_without_long_digit_runs() -> None:
    data = b'<epay:Doc xmlns:epay="urn:lgstandards:epay:1"><epay:A>2024-05-01</epay:A></epay:Doc>'
    assert not rules.may_hold_card_data(etree.fromstring(data), data)
    long_run = data.replace(b"2024-05-01", b"1234 5678 9012 3")
    assert rules.may_hold_card_data(etree.fromstring(long_run), long_run)


@given(
    st.lists(st.sampled_from(["1", "23", "4567", " ", "-", "\t", "\r\n", "x", "<", "é"]))
    .map("".join)
    .map(str.encode),
    st.integers(min_value=1, max_value=9),
    st.lists(st.integers(min_value=1, max_value=30), max_size=6),
)
def test_digit_runs_read_a_block_at_a_time_as_the_whole(
    data: bytes, block: int, pieces: list[int]
) -> None:
    """13 digits in a row (separators out) are found whatever the blocks and pieces.

    Against the screen's plain statement: the whole document translated at once.
    """
    expected = b"9" * 13 in data.translate(rules._DIGIT_BYTES, b" -\t\r\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rules, "_DIGIT_BLOCK", block)
        assert rules._DigitRuns().feed(data) is expected
        runs, start, found = rules._DigitRuns(), 0, False
        for size in [*pieces, len(data)]:
            found = found or runs.feed(data[start : start + size])
            start += size
        assert found is expected
