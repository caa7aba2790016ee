"""Putting data back: a backup into a new file (``to_file``); into the live database
(``live``: prepare with a preview, then execute under the exclusive lock after a verified
safety snapshot); per table or merged row by row (``rows``); the preview of which rows come
back or go (``diff``); and whether a backup is of this database at all (``identity``).
Never changes the live database without holding its exclusive lock and a verified
before-restore snapshot, and never leaves it half restored.
"""
