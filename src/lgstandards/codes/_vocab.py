"""Issue codes for vocabulary cross-checks of codes found in documents."""

from lgstandards.codes import IssueCode
from lgstandards.report import Severity

CODES = (
    IssueCode(
        "vocab.unknown-code",
        Severity.ERROR,
        "A code is not in the list in force at the document's date (the latest version when "
        "the document has no date, the earliest when its date is before every version).",
        "Nid yw cod yn y rhestr sydd mewn grym ar ddyddiad y ddogfen (y fersiwn ddiweddaraf "
        "pan nad oes dyddiad i'r ddogfen, y cynharaf pan fo'i dyddiad cyn pob fersiwn).",
    ),
    IssueCode(
        "vocab.date-before-list",
        Severity.INFO,
        "The document's date is before the first published version of a list: its codes were "
        "checked against the earliest version, which the notice names (once per document).",
        "Mae dyddiad y ddogfen cyn fersiwn gyhoeddedig gyntaf rhestr: gwiriwyd ei chodau yn "
        "erbyn y fersiwn gynharaf, a enwir gan yr hysbysiad (unwaith ym mhob dogfen).",
    ),
    IssueCode(
        "vocab.deprecated-code",
        Severity.WARNING,
        "A code is deprecated; the message names its replacement when there is one.",
        "Mae cod wedi'i anghymeradwyo; mae'r neges yn enwi ei god newydd pan fo un.",
    ),
    IssueCode(
        "vocab.unofficial-code",
        Severity.WARNING,
        "An LGSL code is GOV.UK-unofficial (100000 or above), not published by esd.",
        "Mae cod LGSL yn answyddogol gan GOV.UK (100000 neu uwch), heb ei gyhoeddi gan esd.",
    ),
)
