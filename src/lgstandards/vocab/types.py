"""Pydantic field types for codes from the lists, for use in your own models.

>>> from pydantic import BaseModel
>>> from lgstandards.vocab import LGSLCode
>>> class Page(BaseModel):
...     service: LGSLCode
>>> Page(service=57).service.label
'Council tax annual notification'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

if TYPE_CHECKING:
    from lgstandards.vocab._base import Concept, Vocabulary
    from lgstandards.vocab.concepts import Interaction, Service


class _ListCode(int):
    """An ``int`` that is a code of a shipped list; the record is reachable from the value."""

    list_name: ClassVar[str]
    error_type: ClassVar[str]

    @classmethod
    def vocabulary(cls) -> Vocabulary[Any]:
        """Return the list this code type validates against."""
        raise NotImplementedError

    @classmethod
    def validate(cls, value: int) -> Any:
        """Return ``value`` as this type, or raise a pydantic error naming the list."""
        if value not in cls.vocabulary():
            raise PydanticCustomError(
                cls.error_type,
                "{code} is not a code in {list}",
                {"code": value, "list": cls.list_name},
            )
        return cls(value)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Validate as a strict-ish integer, then against the list."""
        return core_schema.no_info_after_validator_function(
            cls.validate,
            core_schema.int_schema(ge=0),
            serialization=core_schema.plain_serializer_function_ser_schema(int),
        )

    @property
    def record(self) -> Concept:
        """The list's record for this code."""
        record: Concept = self.vocabulary().lookup(int(self))
        return record

    @property
    def label(self) -> str:
        """The code's preferred label."""
        return self.record.label

    @property
    def uri(self) -> str:
        """The code's URI."""
        return self.record.uri

    @property
    def deprecated(self) -> bool:
        """True when the code is deprecated (it still resolves)."""
        return self.record.deprecated

    def __repr__(self) -> str:
        return f"{type(self).__name__}({int(self)})"


class LGSLCode(_ListCode):
    """An LGSL service code, validated against the shipped Service list."""

    list_name = "lgsl"
    error_type = "lgsl_code"

    @classmethod
    def vocabulary(cls) -> Vocabulary[Service]:
        """Return the LGSL vocabulary."""
        from lgstandards.vocab.lgsl import lgsl

        return lgsl

    @property
    def record(self) -> Service:
        """The LGSL service record."""
        return self.vocabulary().lookup(int(self))

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Describe the code as an integer with its list's URI pattern (no enum: too long)."""
        value = handler(schema)
        value.update(
            title="LGSL code",
            description=(
                "A code of the Local Government Service List (esd Services list); "
                "URI http://id.esd.org.uk/service/{code}."
            ),
            minimum=1,
            examples=[57, 524],
        )
        return value


class LGILCode(_ListCode):
    """An LGIL interaction code (0 to 17, 20 to 34), validated against the shipped list."""

    list_name = "lgil"
    error_type = "lgil_code"

    @classmethod
    def vocabulary(cls) -> Vocabulary[Interaction]:
        """Return the LGIL vocabulary."""
        from lgstandards.vocab.lgil import lgil

        return lgil

    @property
    def record(self) -> Interaction:
        """The LGIL interaction record."""
        return self.vocabulary().lookup(int(self))

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Describe the code with the closed list of codes as an ``enum``."""
        value = handler(schema)
        vocabulary = cls.vocabulary()
        value.update(
            title="LGIL code",
            description="A code of the Local Government Interaction List; URI "
            "http://id.esd.org.uk/interaction/{code}. "
            + "; ".join(f"{c.code} {c.label}" for c in vocabulary),
            enum=list(vocabulary.codes()),
        )
        return value


class Transaction(BaseModel):
    """A service x interaction pair (a "transaction"), optionally with a name and URL.

    Unknown LGSL or LGIL codes are refused. ``published`` says whether a real source
    shipped with lgstandards pairs the service with the interaction (``sources`` names
    them): today that is GOV.UK Local Links Manager's council links of April 2017, the
    only licensed service x interaction data found (``vocabularies/SOURCES.md``). False
    means no shipped source has the pair, not that no council offers it: 57/2 "pay
    council tax" is False.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    service: LGSLCode
    interaction: LGILCode
    name: str | None = None
    url: str | None = None

    @property
    def published(self) -> bool:
        """True when a shipped real source pairs them (see :attr:`sources`)."""
        return bool(self.sources)

    @property
    def sources(self) -> tuple[str, ...]:
        """The shipped real sources that pair the service with the interaction."""
        from lgstandards.vocab.transactions import transactions

        found = transactions.get(int(self.service), int(self.interaction))
        return () if found is None else (found.source,)


__all__ = ["LGILCode", "LGSLCode", "Transaction"]
