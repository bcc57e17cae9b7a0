"""Issue codes for vocabulary cross-checks of codes found in documents."""

from lgstandards.codes import IssueCode
from lgstandards.report import Severity

CODES = (
    IssueCode(
        "vocab.unknown-code",
        Severity.ERROR,
        "A code is not in the list in force at the document's date.",
        "Nid yw cod yn y rhestr sydd mewn grym ar ddyddiad y ddogfen.",
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
