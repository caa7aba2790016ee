"""KasirBackup: verified, deduplicated backups of SQLite databases."""

__version__ = "0.1.0"
