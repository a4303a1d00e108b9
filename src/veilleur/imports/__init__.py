"""Readers of files: JSONL, CSV and the platforms' own exports — the pillar's door.

    import_file(store, path, reader, summary, progress=…, analysis=…)
                                             one file, summary updated
    Analysis(store, workers)                 where the posts are analysed: worker
                                             processes for large imports (shared by
                                             the files of a command)
    read_jsonl / csv_reader(mapping, network, id_from) / x_archive_reader(author) /
    linkedin_reader / facebook_reader / bluesky_car_reader / bluesky_json_reader /
    mastodon_archive_reader
                                             a Reader per format
    import_demo_corpus(store) -> ImportSummary             the demo's posts

Importing this package is cheap: each name is loaded from its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from veilleur.lazy import exports

if TYPE_CHECKING:
    from veilleur.imports.bluesky_car import bluesky_car_reader
    from veilleur.imports.bluesky_json import bluesky_json_reader
    from veilleur.imports.csv import csv_reader, parse_mapping
    from veilleur.imports.demo import import_demo_corpus
    from veilleur.imports.facebook import facebook_reader
    from veilleur.imports.jsonl import read_jsonl
    from veilleur.imports.linkedin import linkedin_reader
    from veilleur.imports.mastodon_archive import mastodon_archive_reader
    from veilleur.imports.records import Reader, Rejection
    from veilleur.imports.runner import Analysis, ImportSummary, import_file
    from veilleur.imports.x_archive import x_archive_reader

__all__ = [
    "Analysis",
    "ImportSummary",
    "Reader",
    "Rejection",
    "bluesky_car_reader",
    "bluesky_json_reader",
    "csv_reader",
    "facebook_reader",
    "import_demo_corpus",
    "import_file",
    "linkedin_reader",
    "mastodon_archive_reader",
    "parse_mapping",
    "read_jsonl",
    "x_archive_reader",
]

__getattr__ = exports(
    __name__,
    {
        "bluesky_car_reader": "veilleur.imports.bluesky_car",
        "bluesky_json_reader": "veilleur.imports.bluesky_json",
        "csv_reader": "veilleur.imports.csv",
        "parse_mapping": "veilleur.imports.csv",
        "import_demo_corpus": "veilleur.imports.demo",
        "facebook_reader": "veilleur.imports.facebook",
        "read_jsonl": "veilleur.imports.jsonl",
        "linkedin_reader": "veilleur.imports.linkedin",
        "mastodon_archive_reader": "veilleur.imports.mastodon_archive",
        "Reader": "veilleur.imports.records",
        "Rejection": "veilleur.imports.records",
        "Analysis": "veilleur.imports.runner",
        "ImportSummary": "veilleur.imports.runner",
        "import_file": "veilleur.imports.runner",
        "x_archive_reader": "veilleur.imports.x_archive",
    },
)
