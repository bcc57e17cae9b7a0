"""Issue codes of the XML validation engine: safe parsing, kinds, XSD and input."""

from lgstandards.codes import IssueCode
from lgstandards.report import Severity

E = Severity.ERROR
W = Severity.WARNING
I = Severity.INFO  # noqa: E741

CODES = (
    IssueCode(
        "io.unreadable",
        E,
        "The file or stream cannot be read.",
        "Ni ellir darllen y ffeil na'r ffrwd.",
        fatal=True,
    ),
    IssueCode("xml.empty", E, "The document is empty.", "Mae'r ddogfen yn wag.", fatal=True),
    IssueCode(
        "xml.binary",
        E,
        "The input is binary data, not XML.",
        "Data deuaidd yw'r mewnbwn, nid XML.",
        fatal=True,
    ),
    IssueCode(
        "xml.not-xml",
        E,
        "The input is not XML (it does not start with a tag).",
        "Nid XML yw'r mewnbwn (nid yw'n dechrau gyda thag).",
        fatal=True,
    ),
    IssueCode(
        "xml.not-well-formed",
        E,
        "The document is not well-formed XML.",
        "Nid yw'r ddogfen yn XML wedi'i ffurfio'n dda.",
        fatal=True,
    ),
    IssueCode(
        "xml.truncated",
        E,
        "The document ends before its root element is closed.",
        "Mae'r ddogfen yn gorffen cyn i'w helfen wraidd gau.",
        fatal=True,
    ),
    IssueCode(
        "xml.encoding",
        E,
        "The bytes do not match the declared (or default UTF-8) encoding, or the encoding "
        "is not supported.",
        "Nid yw'r beitiau'n cyfateb i'r amgodiad a ddatganwyd (neu UTF-8), neu nid yw'r "
        "amgodiad yn cael ei gefnogi.",
        fatal=True,
    ),
    IssueCode(
        "xml.dtd-forbidden",
        E,
        "The document has a document type declaration (DTD).",
        "Mae gan y ddogfen ddatganiad math dogfen (DTD).",
        fatal=True,
    ),
    IssueCode(
        "xml.external-dtd-forbidden",
        E,
        "The document names an external DTD; it is never fetched.",
        "Mae'r ddogfen yn enwi DTD allanol; nid yw byth yn cael ei nôl.",
        fatal=True,
    ),
    IssueCode(
        "xml.entity-forbidden",
        E,
        "The document declares or references entities; they are never expanded.",
        "Mae'r ddogfen yn datgan neu'n cyfeirio at endidau; nid ydynt byth yn cael eu hehangu.",
        fatal=True,
    ),
    IssueCode(
        "xml.external-entity-forbidden",
        E,
        "The document declares an external entity; it is never fetched.",
        "Mae'r ddogfen yn datgan endid allanol; nid yw byth yn cael ei nôl.",
        fatal=True,
    ),
    IssueCode(
        "xml.xinclude-forbidden",
        E,
        "The document uses XInclude; it is never processed.",
        "Mae'r ddogfen yn defnyddio XInclude; nid yw byth yn cael ei brosesu.",
        fatal=True,
    ),
    IssueCode(
        "xml.too-large",
        E,
        "The document is larger than the size limit.",
        "Mae'r ddogfen yn fwy na'r terfyn maint.",
        fatal=True,
    ),
    IssueCode(
        "xml.too-deep",
        E,
        "Elements are nested deeper than the depth limit.",
        "Mae elfennau wedi'u nythu'n ddyfnach na'r terfyn dyfnder.",
        fatal=True,
    ),
    IssueCode(
        "xml.text-too-long",
        E,
        "A text node or attribute value is longer than the text limit.",
        "Mae nod testun neu werth priodwedd yn hwy na'r terfyn testun.",
        fatal=True,
    ),
    IssueCode(
        "xml.unknown-kind",
        E,
        "The root element is not a message of any standard in the catalogue.",
        "Nid yw'r elfen wraidd yn neges o unrhyw safon yn y catalog.",
    ),
    IssueCode(
        "xml.unsupported-version",
        E,
        "The SchemaVersion the document declares is not supported by this release.",
        "Nid yw'r SchemaVersion a ddatganwyd gan y ddogfen yn cael ei gefnogi gan y fersiwn hwn.",
    ),
    IssueCode(
        "govtalk.foreign-body",
        W,
        "The GovTalk envelope's message class is not an lgstandards one: the envelope is "
        "checked, its body is not.",
        "Nid yw dosbarth neges yr amlen GovTalk yn un lgstandards: gwirir yr amlen, nid ei chorff.",
    ),
    IssueCode(
        "xml.external-reference",
        W,
        "The document points to a schema on the network (xsi:schemaLocation); it is "
        "never fetched, the bundled schema is used.",
        "Mae'r ddogfen yn pwyntio at sgema ar y rhwydwaith (xsi:schemaLocation); nid yw "
        "byth yn cael ei nôl, defnyddir y sgema sydd wedi'i chynnwys.",
    ),
    IssueCode(
        "xml.schema-location-ignored",
        I,
        "The document names a local schema file (xsi:schemaLocation); it is ignored, "
        "the bundled schema is used.",
        "Mae'r ddogfen yn enwi ffeil sgema leol (xsi:schemaLocation); caiff ei "
        "hanwybyddu, defnyddir y sgema sydd wedi'i chynnwys.",
    ),
    IssueCode(
        "xml.check-failed",
        E,
        "A validation step failed unexpectedly on this document; the detail says why.",
        "Methodd cam dilysu'n annisgwyl ar y ddogfen hon; mae'r manylion yn egluro pam.",
    ),
    IssueCode(
        "xsd.missing-element", E, "A required element is missing.", "Mae elfen ofynnol ar goll."
    ),
    IssueCode(
        "xsd.unexpected-element",
        E,
        "An element is not allowed where it appears.",
        "Nid yw elfen yn cael ei chaniatáu lle mae'n ymddangos.",
    ),
    IssueCode(
        "xsd.pattern",
        E,
        "A value does not match the pattern of its type.",
        "Nid yw gwerth yn cyfateb i batrwm ei fath.",
    ),
    IssueCode(
        "xsd.enumeration",
        E,
        "A value is not one of the values its type allows.",
        "Nid yw gwerth yn un o'r gwerthoedd a ganiateir gan ei fath.",
    ),
    IssueCode(
        "xsd.type",
        E,
        "A value is not valid for its data type.",
        "Nid yw gwerth yn ddilys ar gyfer ei fath data.",
    ),
    IssueCode(
        "xsd.length", E, "A value is too short or too long.", "Mae gwerth yn rhy fyr neu'n rhy hir."
    ),
    IssueCode(
        "xsd.range",
        E,
        "A number is out of its allowed range or has too many digits.",
        "Mae rhif y tu allan i'w ystod a ganiateir neu mae ganddo ormod o ddigidau.",
    ),
    IssueCode(
        "xsd.missing-attribute",
        E,
        "A required attribute is missing.",
        "Mae priodwedd ofynnol ar goll.",
    ),
    IssueCode(
        "xsd.unexpected-attribute",
        E,
        "An attribute is not allowed on its element.",
        "Nid yw priodwedd yn cael ei chaniatáu ar ei helfen.",
    ),
    IssueCode(
        "xsd.other",
        E,
        "The document does not conform to its schema in another way.",
        "Nid yw'r ddogfen yn cydymffurfio â'i sgema mewn ffordd arall.",
    ),
    IssueCode(
        "report.truncated",
        E,
        "The document has more issues than a report lists (Limits.max_issues, 1000 by "
        "default): this last issue counts the others; its severity is the worst of theirs.",
        "Mae gan y ddogfen fwy o faterion nag y mae adroddiad yn eu rhestru (Limits.max_issues, "
        "1000 yn ddiofyn): mae'r mater olaf hwn yn cyfrif y lleill; ei ddifrifoldeb yw'r "
        "gwaethaf o'u rhai hwy.",
    ),
)
