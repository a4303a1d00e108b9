"""veilleur — a French-first workbench for social networks: advise, presence, watch, events."""

__version__ = "0.1.0"
