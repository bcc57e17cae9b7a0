"""Publishing tools for the standards body: quality checks, diffs, versioned releases.

Submodules are imported on use (they load pyoxigraph or rdflib): :mod:`.check`,
:mod:`.diff`, :mod:`.release`, :mod:`.releases`.
"""
