"""Where repository files live: the backend interface every backend implements
(``base``), a folder on a local, USB or network disk (``local``) and an S3-compatible
bucket (``s3``). Owns bytes under names, saved atomically. Never knows what a pack, an
index or a snapshot is, never decides what to keep, and imports nothing from the other
engine packages but ``errors``.
"""
