"""Exports of the live database or of a backup: the entry point (``exporter``), where the
rows come from (``source``: a short-lock copy of the live file or a rebuilt image), what an
export says about itself (``meta``), and one writer per format: ``csv``, ``json``, ``sql``,
``xlsx`` (with its cell encoding in ``xlsx_cells``). Never writes to the shop's database
and never leaves a half-written export under the chosen name.
"""
