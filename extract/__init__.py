"""csp-archive: Community Safety Partnership reports turned into one normalised SQLite database."""

__version__ = "0.4.0"
