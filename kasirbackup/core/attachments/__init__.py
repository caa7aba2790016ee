"""Attachments: the folders of files that belong to a database (product photos, scanned
receipts, member ID scans), stored in the same snapshot as its pages (docs/FORMAT.md,
*Attachments*): walking a folder without leaving it (``walk``), reading each file once into
content-defined chunks (``capture``), the file lists (``listing``), checking and writing files
back (``rebuild``, ``restore``).
Never follows a link out of a folder, never copies the database file itself as a file, and
never writes a restored file under its name before its content matched its SHA-256.
"""
