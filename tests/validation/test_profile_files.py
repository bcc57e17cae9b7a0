"""A council's profile file: read into the one Profile that validate() and the exchange use.

Every setting of the file format (lgstandards.validation.profile_files) reaches the
findings: the fund table (EPAY-R006 in validate, EPAY-R007 in the exchange), the
gateway limits (EPAY-R004), the restricted character set (COM-R019), the trusted
signature keys (COM-R013) and the streaming threshold; bad files are refused naming the
file and the setting; the CLI's --profile works alike in validate and exchange check.
"""

from __future__ import annotations

import json
import pickle
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from testsupport import REPO
from testsupport.signing import signer

from lgstandards import validate
from lgstandards.cli import cli
from lgstandards.exceptions import ProfileError
from lgstandards.exchange import Exchange, Profile
from lgstandards.validation.profile import DEFAULT_PROFILE, current_profile, using_profile
from lgstandards.validation.profile_files import load_profile, read_profile

EPAY = REPO / "examples" / "epay" / "valid"
GOVTALK = REPO / "examples" / "govtalk"
NOTIFICATION = EPAY / "payment-notification.xml"  # funds CT 500000018 and SUN 200000016


def _write(tmp_path: Path, text: str, name: str = "profile.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _codes(source: Path | bytes, profile: Profile | None = None) -> list[str]:
    return sorted(i.code for i in validate(source, profile=profile).issues)


def test_the_example_profile_and_a_council_profile(tmp_path: Path) -> None:
    assert {"CT", "SUN", "PCN"} <= set(DEFAULT_PROFILE.funds)
    toml = _write(tmp_path, 'council = "W99999999"\n[funds.CT]\n[funds.SUN]\nroutine = "luhn"\n')
    profile = read_profile(toml)
    assert set(profile.funds) == {"CT", "SUN"}
    assert profile.council == "W99999999"
    assert profile.source == str(toml)
    json_file = _write(tmp_path, '{"funds": {"CT": {"description": "council tax"}}}', "p.json")
    assert set(read_profile(json_file).funds) == {"CT"}
    assert load_profile(None) is current_profile()
    assert load_profile(profile) is profile
    assert set(load_profile(toml).funds) == {"CT", "SUN"}
    with using_profile(profile):
        assert load_profile(None) is profile


def test_the_fund_table_reaches_validate(tmp_path: Path) -> None:
    assert _codes(NOTIFICATION) == []
    strict = read_profile(_write(tmp_path, '[funds.CT]\npattern = "9[0-9]{8}"\n[funds.SUN]\n'))
    assert _codes(NOTIFICATION, strict) == ["rule.EPAY-R006"]


def test_the_same_profile_reaches_the_exchange_for_both_rules(tmp_path: Path) -> None:
    """The exchange validates each document with its profile (EPAY-R006) and checks the
    funds against it (EPAY-R007): one profile, not one per layer."""
    path = _write(tmp_path, '[funds.CT]\npattern = "9[0-9]{8}"\n')
    with Exchange(profile=path) as exchange:
        report = exchange.check(NOTIFICATION)
    codes = {i.code for i in report.issues}
    assert "rule.EPAY-R006" in codes  # CT's references are not 9........
    assert "rule.EPAY-R007" in codes  # SUN is not in the council's table


def test_settings_reach_their_rules(tmp_path: Path) -> None:
    request = (EPAY / "payment-request.xml").read_bytes()
    assert "rule.EPAY-R004" not in _codes(request)
    low = read_profile(_write(tmp_path, 'gateway_limits = ["0.30", "1.00"]\n[funds.CT]\n'))
    assert low.gateway_limits == (Decimal("0.30"), Decimal("1.00"))
    assert "rule.EPAY-R004" in _codes(request, low)
    welsh = "Llanfair\u0175".encode()
    text = request.replace(b"</epay:Description>", welsh + b"</epay:Description>", 1)
    assert b"\xc5\xb5" in text
    charset = read_profile(_write(tmp_path, "restricted_charset = true\n[funds.CT]\n", "c.toml"))
    assert "rule.COM-R019" not in _codes(text)
    assert "rule.COM-R019" in _codes(text, charset)
    threshold = read_profile(_write(tmp_path, "stream_threshold = 10\n[funds.CT]\n", "s.toml"))
    assert threshold.stream_threshold == 10


def test_trusted_signature_keys_are_read_relative_to_the_profile(tmp_path: Path) -> None:
    signed = GOVTALK / "valid" / "envelope-payment-signed.xml"
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "ours.pem").write_bytes((GOVTALK / "test-signer-certificate.pem").read_bytes())
    (keys / "other.pem").write_bytes(signer("someone-else").certificate)
    ours = read_profile(_write(tmp_path, 'signature_keys = ["keys/ours.pem"]\n[funds.CT]\n'))
    other = read_profile(
        _write(tmp_path, 'signature_keys = ["keys/other.pem"]\n[funds.CT]\n', "o.toml")
    )
    assert "rule.COM-R013" not in _codes(signed, ours)
    assert "rule.COM-R013" in _codes(signed, other)


def test_a_profile_goes_to_worker_processes_whole(tmp_path: Path) -> None:
    text = (
        'council = "W99999999"\nrestricted_charset = true\ngateway_limits = [1, 2]\n'
        "stream_threshold = 5\n[funds.CT]\npattern = '9.*'\n"
    )
    profile = read_profile(_write(tmp_path, text))
    again = pickle.loads(pickle.dumps(profile))
    for name in ("council", "source", "restricted_charset", "gateway_limits", "stream_threshold"):
        assert getattr(again, name) == getattr(profile, name), name
    assert dict(again.funds) == dict(profile.funds)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[funds]\n", "at least one fund"),
        ("council = 'x'\n", "at least one fund"),
        ("colour = 'red'\n[funds.CT]\n", "unknown settings"),
        ("council = 3\n[funds.CT]\n", "council must be a string"),
        ("[funds.TOOLONG]\n", "1 to 5 letters or digits"),
        ("[funds.CT]\nroutine = 'mod12'\n", "unknown check-digit routine"),
        ("[funds.CT]\npattern = '('\n", "bad pattern"),
        ("[funds.CT]\nwhat = 1\n", "only description, pattern and routine"),
        ("[funds.CT]\ndescription = 1\n", "values must be strings"),
        ("[funds\n", "not a valid profile file"),
        ("restricted_charset = 'yes'\n[funds.CT]\n", "true or false"),
        ("gateway_limits = ['5']\n[funds.CT]\n", "lowest and highest"),
        ("gateway_limits = ['a', '5']\n[funds.CT]\n", "lowest and highest"),
        ("gateway_limits = ['-1', '5']\n[funds.CT]\n", "lowest and highest"),
        ("gateway_limits = [true, 5]\n[funds.CT]\n", "lowest and highest"),
        ("gateway_limits = ['9', '5']\n[funds.CT]\n", "is above the highest"),
        ("stream_threshold = -1\n[funds.CT]\n", "number of bytes"),
        ("stream_threshold = true\n[funds.CT]\n", "number of bytes"),
        ("signature_keys = 'k.pem'\n[funds.CT]\n", "list of PEM file names"),
        ("signature_keys = ['missing.pem']\n[funds.CT]\n", "cannot read a signature key"),
        ("signature_keys = ['profile.toml']\n[funds.CT]\n", "is not a PEM file"),
    ],
)
def test_bad_profiles_are_refused_naming_the_file(tmp_path: Path, text: str, problem: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ProfileError, match=problem) as caught:
        read_profile(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("data", [b"\xff\xfe\x00", b"[" * 100_000, b'{"funds": ' * 5000])
def test_junk_files_are_profile_errors(tmp_path: Path, data: bytes) -> None:
    for name in ("p.toml", "p.json"):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ProfileError, match=name):
            read_profile(path)


def test_a_profile_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="cannot read the profile"):
        read_profile(tmp_path)
    with pytest.raises(ProfileError, match="cannot read the profile"):
        read_profile("/dev/zero")


def test_the_cli_takes_the_profile_in_validate_and_exchange(tmp_path: Path) -> None:
    path = _write(tmp_path, '[funds.CT]\npattern = "9[0-9]{8}"\n[funds.SUN]\n')
    runner = CliRunner()
    plain = runner.invoke(cli, ["validate", "--format", "json", str(NOTIFICATION)])
    assert plain.exit_code == 0, plain.output
    found = runner.invoke(
        cli, ["validate", "--profile", str(path), "--format", "json", str(NOTIFICATION)]
    )
    assert found.exit_code == 1, found.output
    codes = {i["code"] for r in json.loads(found.output)["documents"] for i in r["issues"]}
    assert codes == {"rule.EPAY-R006"}
    checked = runner.invoke(
        cli, ["exchange", "check", "--profile", str(path), "--format", "json", str(NOTIFICATION)]
    )
    assert checked.exit_code == 1, checked.output
    assert "rule.EPAY-R006" in checked.output
    bad = _write(tmp_path, "[funds]\n", "bad.toml")
    for command in (["validate"], ["exchange", "check"]):
        refused = runner.invoke(cli, [*command, "--profile", str(bad), str(NOTIFICATION)])
        assert refused.exit_code == 2, refused.output
        assert "at least one fund" in refused.output
        assert "Traceback" not in refused.output
