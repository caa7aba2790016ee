"""Imports of our own exports back into the live database: the entry point (``importer``:
prepare, preview, execute), opening a file within limits (``files``), one reader per
format (``csv``, ``json``, ``xlsx``), parsing and checking into a staging database
(``stage``) and merging or replacing in one transaction (``apply``). Never changes the live
database before the whole file is parsed and checked, and never without a safety snapshot.
"""
