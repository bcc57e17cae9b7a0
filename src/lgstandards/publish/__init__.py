"""Publishing tools for the standards body: SKOS builds, quality checks, diffs, releases.

Submodules are imported on use (they load pyoxigraph or rdflib): :mod:`.skos`,
:mod:`.check`, :mod:`.diff`, :mod:`.release`. Releases are read at run time by
:mod:`lgstandards.vocab.releases`.
"""
