"""The version, in one place: the package, the CLI, signatures and pyproject read it here."""

__version__ = "0.1.0"
