"""The engine. Pure Python, no Qt: everything the CLI and the GUI do is a call into here."""
