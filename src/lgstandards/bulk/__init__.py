"""National scale: validate many files on a Dask cluster (the ``cluster`` extra).

:func:`validate_many` hands the files to the cluster's workers, which read and validate
them themselves, and yields the reports as they finish, each exactly what
``lgstandards validate`` gives for that file. The cross-document rules COM-R004,
COM-R012 and EPAY-R017 are checked on the cluster from keys each task extracts
(:mod:`lgstandards.bulk.keys`). ``lgstandards validate --cluster ADDRESS`` is the
command-line face; ``docs/guides/cluster.md`` the design note.

Needs ``dask[distributed]`` and ``fsspec`` (``pip install lgstandards[cluster]``);
importing this package does not.
"""

from __future__ import annotations

from lgstandards.bulk.run import connect, cross_document, validate_items, validate_many

__all__ = ["connect", "cross_document", "validate_items", "validate_many"]
