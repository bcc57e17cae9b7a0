"""Domain types and shared structures of the lgstandards message models.

The types mirror ``schemas/common/lgs-common-v1-1.xsd`` one for one, so that a model
accepts exactly what the schema accepts:

* :class:`Postcode` upper-cases and puts one space before the inward code;
* :class:`NINumber` upper-cases and removes spaces, then applies the HMRC rules
  (excluded letters, never-issued prefixes, suffix A to D);
* :class:`Money` is a ``Decimal`` with at most two places, with
  :meth:`Money.to_minor_units` / :meth:`Money.from_minor_units` (pence);
* :class:`UPRN`, :class:`USRN`, :class:`SortCode`, and text types that accept Welsh
  letters (Latin-1 Supplement and Latin Extended-A).

Normalisation happens for Python callers only: when a model is loaded from XML
(validation context ``{"xml": True}``), values must already be in the schema's
lexical form, exactly as the XSD requires.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    GetPydanticSchema,
    StringConstraints,
    ValidationInfo,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, TzInfo, core_schema

from lgstandards.models._xml import Xml, XmlModel
from lgstandards.models.identifiers import (
    ADMINISTRATIVE_NINO_PREFIXES,
    NINO_PATTERN,
    POSTCODE_PATTERN,
    RESTRICTED_CHARS,
    is_valid_nino,
    is_valid_postcode,
    normalise_nino,
    normalise_postcode,
    restricted_violations,
)
from lgstandards.vocab import LGILCode, LGSLCode

COMMON_NS = "urn:lgstandards:common:1"

# ---------------------------------------------------------------- patterns (one source)
# POSTCODE_PATTERN, NINO_PATTERN, ADMINISTRATIVE_NINO_PREFIXES and their checks live in
# lgstandards.models.identifiers (no pydantic), imported above.
_POSTCODE = re.compile(f"^{POSTCODE_PATTERN}\\Z")
_NINO = re.compile(f"^{NINO_PATTERN}\\Z")
#: Printable text allowed in names and addresses (Welsh letters included).
TEXT_CHARS = "\\x20-\\x7E\\u00A0-\\u017F\\u2018\\u2019\\u20AC"
TEXT_PATTERN = f"^[{TEXT_CHARS}]*$"
AMOUNT_PATTERN = r"-?[0-9]{1,10}(\.[0-9]{1,2})?"

_AMOUNT = re.compile(f"^{AMOUNT_PATTERN}\\Z")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# Python patterns end with \Z ($ also matches before a final newline); the patterns
# given to pydantic (its Rust engine knows no \Z, and its $ is the end of the text) keep $.
_TIMESTAMP_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]{1,6})?(Z|[+\-][0-9]{2}:[0-9]{2})$"
)
_INTEGER = re.compile(r"^[+-]?[0-9]+\Z")
#: XML white space (#x20, #x9, #xA, #xD); a no-break space is not white space to XSD.
XML_WHITESPACE = re.compile(r"[ \t\n\r]+")
_CENT = Decimal("0.01")


def _from_xml(info: ValidationInfo | None) -> bool:
    context = info.context if info is not None else None
    return bool(context and context.get("xml"))


def collapse_whitespace(value: str) -> str:
    """Collapse XML white space as XSD ``whiteSpace="collapse"`` does (anyURI, numbers ...)."""
    if " " not in value and value.isprintable():  # no tab, newline or return either
        return value  # nothing to collapse: most values, at a fraction of the substitution
    return XML_WHITESPACE.sub(" ", value).strip(" ")


class _CheckedStr(str):
    """A ``str`` normalised and checked on construction and on pydantic validation.

    Python input is normalised first; XML input is checked as written (the schema
    does not normalise), then taken as is, without checking twice.
    """

    __slots__ = ()

    _pattern: ClassVar[re.Pattern[str]]
    _error_type: ClassVar[str]
    _message: ClassVar[str]  # "'{value}' is not ..."
    _json_schema: ClassVar[JsonSchemaValue]

    @staticmethod
    def _normalise(value: str) -> str:
        raise NotImplementedError

    def __new__(cls, value: str) -> Self:
        """Normalise ``value`` and check it; raises ``ValueError`` when it does not match."""
        text = cls._normalise(value)
        if cls._pattern.match(text) is None:
            raise ValueError(cls._message.format(value=value))
        return super().__new__(cls, text)

    @classmethod
    def _validate(cls, value: str, info: ValidationInfo) -> Self:
        if _from_xml(info):
            if cls._pattern.match(value) is not None:
                return str.__new__(cls, value)
        else:
            try:
                return cls(value)
            except ValueError:
                pass
        raise PydanticCustomError(cls._error_type, cls._message, {"value": value})

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Validate as a string, then normalise and check the pattern."""
        return core_schema.with_info_after_validator_function(
            cls._validate, core_schema.str_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Describe the pattern in JSON Schema."""
        return dict(cls._json_schema)


class Postcode(_CheckedStr):
    """A UK postcode in the BS7666 v2 form (normalised from Python input).

    ``Postcode("aa9a9aa") == "AA9A 9AA"``; a value that is not a postcode raises
    ``ValueError``. XML input is checked as written (the schema does not normalise).
    """

    __slots__ = ()

    _pattern = _POSTCODE
    _error_type = "postcode"
    _message = "'{value}' is not a UK postcode (BS7666)"
    _json_schema: ClassVar[JsonSchemaValue] = {
        "type": "string",
        "pattern": f"^{POSTCODE_PATTERN}$",
        "examples": ["AA9A 9AA"],
    }
    _normalise = staticmethod(normalise_postcode)

    @property
    def outward(self) -> str:
        """The outward code (before the space)."""
        return self.split(" ", 1)[0]

    @property
    def inward(self) -> str:
        """The inward code (after the space)."""
        return self.split(" ", 1)[1]


class NINumber(_CheckedStr):
    """A National Insurance number passing the HMRC rules (normalised from Python input).

    ``NINumber("ab 12 34 56 c") == "AB123456C"``; a number the rules refuse raises
    ``ValueError``. XML input is checked as written.
    """

    __slots__ = ()

    _pattern = _NINO
    _error_type = "nino"
    _message = "'{value}' is not a valid National Insurance number"
    _json_schema: ClassVar[JsonSchemaValue] = {"type": "string", "pattern": f"^{NINO_PATTERN}$"}
    _normalise = staticmethod(normalise_nino)

    @property
    def prefix(self) -> str:
        """The two prefix letters."""
        return self[:2]

    @property
    def suffix(self) -> str:
        """The suffix letter, A to D."""
        return self[-1]

    @property
    def is_administrative(self) -> bool:
        """True for prefixes HMRC uses for administrative or temporary numbers."""
        return self.prefix in ADMINISTRATIVE_NINO_PREFIXES


def _integer_lexical(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, str) and _from_xml(info) and _INTEGER.match(value) is None:
        raise PydanticCustomError("xsd.integer", "'{value}' is not an integer", {"value": value})
    return value


class _BoundedInt(int):
    """An int subclass with inclusive bounds, checked on validation."""

    minimum: ClassVar[int] = 1
    maximum: ClassVar[int] = 1

    @classmethod
    def _check(cls, value: int) -> Self:
        if not cls.minimum <= value <= cls.maximum:
            raise PydanticCustomError(
                "range",
                "{value} is not in {low} to {high}",
                {"value": value, "low": cls.minimum, "high": cls.maximum},
            )
        return cls(value)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Check the XSD lexical form from XML, then the bounds."""
        return core_schema.no_info_after_validator_function(
            cls._check,
            core_schema.with_info_before_validator_function(
                _integer_lexical, core_schema.int_schema()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Describe the bounds in JSON Schema."""
        return {"type": "integer", "minimum": cls.minimum, "maximum": cls.maximum}


class UPRN(_BoundedInt):
    """Unique Property Reference Number, 1 to 999 999 999 999."""

    maximum = 999_999_999_999


class USRN(_BoundedInt):
    """Unique Street Reference Number, 1 to 99 999 999."""

    maximum = 99_999_999


class AONNumber(_BoundedInt):
    """The number of a BS7666 addressable object, 1 to 9999."""

    maximum = 9999


def _positive_amount_pattern() -> str:
    """Return the amount pattern for amounts above zero: no sign, a digit other than zero.

    The integer part's 1 to 10 digits are spelt out by the number of zeros before the
    first other digit (pydantic-core's patterns have no look-ahead).
    """
    whole = "|".join(f"0{{{zeros}}}[1-9][0-9]{{0,{9 - zeros}}}" for zeros in range(10))
    return rf"^(?:(?:{whole})(?:\.[0-9]{{1,2}})?|0{{1,10}}\.(?:[1-9][0-9]?|0[1-9]))$"


#: For the usual minimums of :class:`Money`, a pattern that an amount matches exactly
#: when it is in the amount pattern's lexical form and at least the minimum: no sign,
#: or only zeros after a minus (-0.00 is 0); no sign and a digit other than zero.
_AMOUNT_PATTERNS: dict[Decimal | None, str] = {
    None: f"^{AMOUNT_PATTERN}$",
    Decimal("0"): r"^(?:[0-9]{1,10}(?:\.[0-9]{1,2})?|-0{1,10}(?:\.0{1,2})?)$",
    Decimal("0.01"): _positive_amount_pattern(),
}


class Money(Decimal):
    """An amount in pounds: a ``Decimal`` with at most two decimal places (12 digits).

    Values given in Python are quantised to two places; XML is always written with two
    places (``12.50``). Floats are refused.
    """

    minimum: ClassVar[Decimal | None] = None
    #: Written to XML with exactly this many decimal places.
    xml_decimal_places: ClassVar[int] = 2

    @classmethod
    def _quantised(cls, value: Decimal) -> Money:
        return cls(value.quantize(_CENT))

    @classmethod
    def _from_text(cls, value: str) -> Money:
        """Make the amount of a string the pattern passed: it has at most 10 + 2 digits."""
        amount = cls(value)
        if cls.minimum is not None and amount < cls.minimum:
            raise PydanticCustomError("money", "below the minimum")  # the union's message
        return amount

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Accept a string in the schema's lexical form, a Decimal or an int; never a float.

        A string keeps its own number of places ("12.5"), which ``to_xml`` writes as
        12.50. Its pattern (pydantic-core) already bounds the digits and places, and
        checks the usual minimums too (see :data:`_AMOUNT_PATTERNS`), so the only
        Python call makes the amount (another minimum is checked by that call):
        pydantic-core's decimal validator would cost three times as much for every amount
        of a large batch.
        """
        bounds: dict[str, Any] = {"max_digits": 12, "decimal_places": 2, "allow_inf_nan": False}
        if cls.minimum is not None:
            bounds["ge"] = cls.minimum
        pattern = _AMOUNT_PATTERNS.get(cls.minimum)
        if pattern is not None:  # the minimum (if any) is in the pattern: one match
            text = core_schema.str_schema(pattern=pattern)
            from_text = core_schema.no_info_after_validator_function(cls, text)
        else:
            text = core_schema.str_schema(pattern=f"^{AMOUNT_PATTERN}$")
            from_text = core_schema.no_info_after_validator_function(cls._from_text, text)
        return core_schema.union_schema(
            [
                from_text,
                core_schema.no_info_after_validator_function(
                    cls._quantised, core_schema.decimal_schema(strict=True, **bounds)
                ),
                core_schema.no_info_after_validator_function(
                    cls._quantised,
                    core_schema.chain_schema(
                        [core_schema.int_schema(strict=True), core_schema.decimal_schema(**bounds)]
                    ),
                ),
            ],
            mode="left_to_right",
            custom_error_type="money",
            custom_error_message="give an amount of pounds with at most two decimal places "
            "(a string such as 12.50, a Decimal or an int; never a float)",
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda v: format(v, ".2f"), when_used="json"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Describe the amount as a decimal string in JSON Schema."""
        return {"type": "string", "pattern": f"^{AMOUNT_PATTERN}$", "examples": ["12.50"]}

    def to_minor_units(self) -> int:
        """Return the amount in pence."""
        return int(self * 100)

    @classmethod
    def from_minor_units(cls, pence: int) -> Self:
        """Return the amount for a number of pence."""
        if isinstance(pence, bool) or not isinstance(pence, int):
            raise TypeError("pence must be an int")
        return cls((Decimal(pence) / 100).quantize(Decimal("0.01")))


class NonNegativeMoney(Money):
    """An amount of zero or more."""

    minimum = Decimal("0")


class PositiveMoney(Money):
    """An amount greater than zero."""

    minimum = Decimal("0.01")


def _text_type(min_length: int, max_length: int | None) -> Any:
    return Annotated[
        str, StringConstraints(min_length=min_length, max_length=max_length, pattern=TEXT_PATTERN)
    ]


def _lexical(
    instance: core_schema.CoreSchema, pattern: str, parsed: core_schema.CoreSchema
) -> GetPydanticSchema:
    """Accept a Python value as ``instance``, or a string in the XSD lexical form.

    Built from pydantic-core schemas only (no Python call per value), so that loading
    large batches stays fast.
    """
    schema = core_schema.union_schema(
        [core_schema.chain_schema([core_schema.str_schema(pattern=pattern), parsed]), instance],
        mode="left_to_right",
    )
    return GetPydanticSchema(lambda _source, _handler: schema)


def _xs_integer(**bounds: int) -> GetPydanticSchema:
    return _lexical(
        core_schema.int_schema(strict=True, **bounds),  # type: ignore[arg-type]
        r"^[+-]?[0-9]+$",
        core_schema.int_schema(**bounds),  # type: ignore[arg-type]
    )


#: A calendar date (``xs:date`` without time zone).
XsDate = Annotated[
    dt.date,
    _lexical(
        core_schema.date_schema(strict=True),
        r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        core_schema.date_schema(),
    ),
]


def _end_of_day(value: str) -> dt.datetime:
    """Read the ``xs:dateTime`` end-of-day form ``T24:00:00``: midnight of the next day."""
    match = _END_OF_DAY.match(value)
    if match is None:  # the string schema checked the pattern already
        raise PydanticCustomError("timestamp", "'{value}' is not a timestamp", {"value": value})
    day, zone = match.groups()
    try:
        midnight = dt.datetime.fromisoformat(f"{day}T00:00:00{'+00:00' if zone == 'Z' else zone}")
        return midnight + dt.timedelta(days=1)
    except (OverflowError, ValueError):  # no such day, or past the year 9999
        raise PydanticCustomError(
            "timestamp", "'{value}' is not a timestamp", {"value": value}
        ) from None


def _xsd_time_zone(value: dt.datetime) -> dt.datetime:
    """Refuse a time zone outside the ``xs:dateTime`` range, -14:00 to +14:00.

    UTC (``Z``, the usual zone) is known by identity: pydantic-core gives every UTC
    value read from a string one shared zone object (a fixed offset), remembered the
    first time it passes the check, and Python's ``datetime.UTC`` is one object too.
    """
    global _UTC_ZONE
    zone = value.tzinfo
    if zone is _UTC_ZONE or zone is dt.UTC:
        return value
    offset = value.utcoffset()
    if offset is None or abs(offset) > _MAX_OFFSET or offset % _MINUTE:
        raise PydanticCustomError(
            "timestamp",
            "the time zone of {value} is outside -14:00 to +14:00",
            {"value": value.isoformat()},
        )
    if not offset and zone.__class__ is TzInfo:  # a fixed offset: zero for every value
        _UTC_ZONE = zone
    return value


#: pydantic-core's UTC zone object, once a value in it passed :func:`_xsd_time_zone`
#: (until then Python's, never None: a naive value is refused, not known).
_UTC_ZONE: dt.tzinfo = dt.UTC


_END_OF_DAY_PATTERN = (
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2})T24:00:00(?:\.0{1,6})?(Z|[+\-][0-9]{2}:[0-9]{2})$"
)
_END_OF_DAY = re.compile(_END_OF_DAY_PATTERN[:-1] + r"\Z")
_MAX_OFFSET = dt.timedelta(hours=14)
_MINUTE = dt.timedelta(minutes=1)  # made once: a timedelta(...) call costs a microsecond
_TIMESTAMP_SCHEMA = core_schema.no_info_after_validator_function(
    _xsd_time_zone,
    core_schema.union_schema(
        [
            core_schema.chain_schema(
                [
                    core_schema.str_schema(pattern=_TIMESTAMP_PATTERN),
                    core_schema.datetime_schema(tz_constraint="aware"),
                ]
            ),
            core_schema.datetime_schema(strict=True, tz_constraint="aware"),
            core_schema.no_info_after_validator_function(
                _end_of_day, core_schema.str_schema(pattern=_END_OF_DAY_PATTERN)
            ),
        ],
        mode="left_to_right",
    ),
)
#: A date-time with an explicit time zone in the ``xs:dateTime`` range (the XSD's
#: end-of-day ``T24:00:00`` is read as midnight of the next day). From XML it is
#: whitespace-collapsed, as the XSD collapses it.
Timestamp = Annotated[dt.datetime, GetPydanticSchema(lambda _source, _handler: _TIMESTAMP_SCHEMA)]
#: An ``xs:integer`` (strings must be in the XSD lexical form).
XsInt = Annotated[int, _xs_integer()]
#: An ``xs:positiveInteger``.
PositiveInt = Annotated[int, _xs_integer(gt=0)]
#: An ``xs:nonNegativeInteger``.
XsNonNegativeInt = Annotated[int, _xs_integer(ge=0)]

Text = Annotated[str, StringConstraints(pattern=TEXT_PATTERN)]
PopulatedText = Annotated[str, StringConstraints(min_length=1, pattern=TEXT_PATTERN)]
NameText = Annotated[str, StringConstraints(min_length=1, max_length=35, pattern=TEXT_PATTERN)]
RequestedNameText = Annotated[
    str, StringConstraints(min_length=1, max_length=70, pattern=TEXT_PATTERN)
]
AddressLine = Annotated[str, StringConstraints(min_length=1, max_length=35, pattern=TEXT_PATTERN)]
#: A town, administrative area or post town of a BS7666 address (1 to 30 characters).
PlaceName = Annotated[str, StringConstraints(min_length=1, max_length=30, pattern=TEXT_PATTERN)]
StreetDescription = Annotated[
    str, StringConstraints(min_length=1, max_length=100, pattern=TEXT_PATTERN)
]
AONDescription = Annotated[
    str, StringConstraints(min_length=1, max_length=90, pattern=TEXT_PATTERN)
]
AccountName = Annotated[str, StringConstraints(min_length=1, max_length=35, pattern=TEXT_PATTERN)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:/\-]{1,64}$")]
CouncilIdentifier = Annotated[str, StringConstraints(pattern=r"^[ENSW][0-9]{8}$")]
FundCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,5}$")]
SchemaVersion = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,3}\.[0-9]{1,3}$")]
AccountNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{8}$")]
RollNumber = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9 /.\-]{1,18}$")]
EmailAddress = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9._%+'\-]{1,64}@[A-Za-z0-9.\-]{1,190}$")
]
TelephoneNumber = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 \-]{1,20}$")]
AONSuffix = Annotated[str, StringConstraints(pattern=r"^[A-Z]$")]
YesNo = Literal["yes", "no"]
Language = Literal["en", "cy"]
CurrencyCode = Literal["GBP"]


class SortCode(str):
    """A UK sort code, six digits (``12-34-56`` is normalised from Python input)."""

    __slots__ = ()

    @classmethod
    def _validate(cls, value: str, info: ValidationInfo) -> SortCode:
        text = value if _from_xml(info) else value.replace("-", "").replace(" ", "")
        if len(text) != 6 or not text.isascii() or not text.isdigit():
            raise PydanticCustomError(
                "sort-code", "'{value}' is not a six-digit sort code", {"value": value}
            )
        return cls(text)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Validate as a string, then normalise and check six digits."""
        return core_schema.with_info_after_validator_function(
            cls._validate, core_schema.str_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Describe the sort code pattern in JSON Schema."""
        return {"type": "string", "pattern": "^[0-9]{6}$"}


def _lgil_lexical(value: Any, info: ValidationInfo) -> Any:
    value = _integer_lexical(value, info)
    if (
        isinstance(value, str)
        and _from_xml(info)
        and not re.fullmatch(r"[0-9]|1[0-7]|2[0-9]|3[0-4]", value)
    ):
        raise PydanticCustomError("lgil", "'{value}' is not an LGIL code", {"value": value})
    return value


def _lgil_range(value: int) -> int:
    if not (0 <= value <= 34) or value in (18, 19):
        raise PydanticCustomError("lgil", "{value} is not an LGIL code", {"value": value})
    return value


#: An LGSL code as the schema types it (a positive integer). Whether it exists in the
#: list in force is the vocabulary cross-check (COM-R020), not model validation.
LGSLNumber = Annotated[int, _xs_integer(gt=0)]
#: An LGIL code as the schema types it (0 to 34 except 18 and 19).
LGILNumber = Annotated[int, BeforeValidator(_lgil_lexical), AfterValidator(_lgil_range)]


class CommonModel(XmlModel):
    """Base of the structures defined in the common namespace."""

    xml_namespace = COMMON_NS
    xml_prefix = "lgc"


class AONRange(CommonModel):
    """A number with an optional suffix letter (one end of a range)."""

    number: AONNumber
    suffix: AONSuffix | None = None


class AON(CommonModel):
    """A BS7666 addressable object: a number or range, a description, or both."""

    start_range: AONRange | None = None
    end_range: AONRange | None = None
    description: AONDescription | None = None

    @model_validator(mode="after")
    def _number_or_description(self) -> Self:
        if self.start_range is None and self.description is None:
            raise ValueError("an addressable object needs a number or a description")
        if self.end_range is not None and self.start_range is None:
            raise ValueError("an end of range needs a start of range")
        return self


class BS7666Address(CommonModel):
    """A BS7666 address with UPRN and USRN where known."""

    saon: Annotated[AON | None, Field(alias="SAON")] = None
    paon: Annotated[AON, Field(alias="PAON")]
    street: StreetDescription
    locality: AddressLine | None = None
    town: PlaceName | None = None
    administrative_area: PlaceName | None = None
    post_town: PlaceName | None = None
    postcode: Postcode | None = None
    uprn: Annotated[UPRN | None, Field(alias="UPRN")] = None
    usrn: Annotated[USRN | None, Field(alias="USRN")] = None


class PersonName(CommonModel):
    """A person's name in parts."""

    title: list[NameText] = Field(default_factory=list)
    given_name: list[NameText] = Field(default_factory=list)
    family_name: NameText
    suffix: list[NameText] = Field(default_factory=list)
    requested_name: RequestedNameText | None = None


class BankAccount(CommonModel):
    """UK bank or building society account details."""

    account_name: AccountName
    sort_code: SortCode
    account_number: AccountNumber
    roll_number: RollNumber | None = None


class MoneyAmount(CommonModel):
    """An amount with its currency attribute (``MoneyStructure``)."""

    amount: Annotated[Money, Xml(text=True)]
    currency: Annotated[CurrencyCode | None, Xml(attr=True), Field(alias="currency")] = None


#: A SHA-1 digest in base64 (``DigestValueType``).
DigestValue = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{27}=$")]


class IRmark(CommonModel):
    """An IRmark: the digest of the GovTalk Body carrying the message (``IRmarkStructure``)."""

    value: Annotated[DigestValue, Xml(text=True)]
    type: Annotated[Literal["generic"], Xml(attr=True, required=True), Field(alias="Type")] = (
        "generic"
    )


class MessageHeader(CommonModel):
    """The header every lgstandards message starts with."""

    message_id: Identifier
    created: Timestamp
    sender: CouncilIdentifier
    receiver: Identifier | None = None
    language: Language | None = None
    test: YesNo | None = None
    ir_mark: Annotated[IRmark | None, Field(alias="IRmark")] = None


__all__ = [
    "ADMINISTRATIVE_NINO_PREFIXES",
    "AMOUNT_PATTERN",
    "AON",
    "COMMON_NS",
    "NINO_PATTERN",
    "POSTCODE_PATTERN",
    "RESTRICTED_CHARS",
    "TEXT_PATTERN",
    "UPRN",
    "USRN",
    "XML_WHITESPACE",
    "AONNumber",
    "AONRange",
    "AccountName",
    "AccountNumber",
    "AddressLine",
    "BS7666Address",
    "BankAccount",
    "CommonModel",
    "CouncilIdentifier",
    "CurrencyCode",
    "DigestValue",
    "EmailAddress",
    "FundCode",
    "IRmark",
    "Identifier",
    "LGILCode",
    "LGILNumber",
    "LGSLCode",
    "LGSLNumber",
    "Language",
    "MessageHeader",
    "Money",
    "MoneyAmount",
    "NINumber",
    "NameText",
    "NonNegativeMoney",
    "PersonName",
    "PlaceName",
    "PopulatedText",
    "PositiveInt",
    "PositiveMoney",
    "Postcode",
    "RequestedNameText",
    "RollNumber",
    "SchemaVersion",
    "SortCode",
    "StreetDescription",
    "TelephoneNumber",
    "Text",
    "Timestamp",
    "XsDate",
    "XsInt",
    "XsNonNegativeInt",
    "YesNo",
    "collapse_whitespace",
    "is_valid_nino",
    "is_valid_postcode",
    "normalise_nino",
    "normalise_postcode",
    "restricted_violations",
]
