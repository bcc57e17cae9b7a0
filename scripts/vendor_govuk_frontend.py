"""Vendor govuk-frontend's compiled CSS into the service's static files, without branding.

    npm install govuk-frontend@6.6.0   # in a scratch folder
    python3 scripts/vendor_govuk_frontend.py \
        node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css

Takes out the GOV.UK typeface (its @font-face rules and its name in font stacks: the
typeface is for GOV.UK only) and the footer crest's rules (no crown branding); nothing
else changes. The licence is in src/lgstandards/service/static/LICENCE-govuk-frontend.txt.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src/lgstandards/service/static"


def strip(css: str) -> str:
    out = re.sub(r"@font-face\{[^}]*\}", "", css)
    out = out.replace('"GDS Transport",', "").replace("GDS Transport,", "")
    out = re.sub(r"[^{}]*govuk-footer__copyright-logo[^{}]*\{[^{}]*\}", "", out)
    out = out.replace(
        "@supports ((-webkit-mask-position:initial) or (mask-position:initial)){}", ""
    )
    for left in ("GDS Transport", "/assets/fonts", "govuk-crest"):
        if left in out:
            raise SystemExit(f"{left!r} is still in the CSS: update this script")
    return out


def main() -> None:
    source = Path(sys.argv[1])
    (TARGET / "govuk-frontend.min.css").write_text(strip(source.read_text("utf-8")), "utf-8")


if __name__ == "__main__":
    main()
