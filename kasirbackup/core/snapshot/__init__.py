"""Taking a backup: the consistent online copy of a live database under short SHARED
locks (``capture``), one backup from capture to a verified manifest (``backup``), and
rebuilding an image from the repository with the restore drill (``verify``). Never writes
to the shop's database, never holds its lock long enough to make a sale wait past its
busy timeout, and never calls a snapshot verified unless its drill rebuilt and checked it.
"""
