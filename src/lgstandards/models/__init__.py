"""Typed pydantic models of the lgstandards messages, with XML binding.

One module per standard: :mod:`lgstandards.models.common` (domain types such as
``Postcode``, ``NINumber``, ``Money``), :mod:`lgstandards.models.epay`,
:mod:`lgstandards.models.ebenefits`, :mod:`lgstandards.models.transactions` and
:mod:`lgstandards.models.govtalk`. Each message model has ``from_xml()``,
``to_xml()`` and ``model_json_schema()``. Import the module you need; this package
imports nothing heavy by itself.

JSON uses the XML names (``SaleTotal``): ``model_json_schema()`` describes them,
``model_dump()`` and ``model_dump_json()`` write them and ``model_validate_json()``
reads them; Python code may pass either those or the field names (``sale_total``).
Each field's description is its element's ``xs:documentation`` in the schema (a table
built by :mod:`lgstandards.models._describe`).
"""

from __future__ import annotations

import importlib
from typing import Any

#: The model modules by standard.
MODULES = ("common", "epay", "ebenefits", "transactions", "govtalk")


def model_for_kind(kind: str) -> Any:
    """Return the model class of a document kind (``epay.payment-request`` ...)."""
    from lgstandards.artefacts.catalogue import entry_for_kind
    from lgstandards.models._xml import XmlModel, root_model

    entry = entry_for_kind(kind)
    if entry.models:
        importlib.import_module(entry.models)
    model: type[XmlModel] = root_model(entry.namespace, entry.root_for_kind(kind))
    return model


__all__ = ["MODULES", "model_for_kind"]
