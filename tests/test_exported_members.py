"""What each pillar's front door exports: a change of the public API is a visible diff here.

Each pillar's package ``__init__`` is its front door (``__all__``); front ends (cli/, the
web workbench next) use only these names. Add a name here when you add it to a door, and
think twice before removing one: a front end may use it. (httpx's test_exported_members.py
is the model.)
"""

from __future__ import annotations

import importlib

import pytest

EXPORTED = {
    "events": [
        "Applicant",
        "Attendance",
        "Delivery",
        "Event",
        "EventSpec",
        "Kit",
        "LinkError",
        "Outcome",
        "Recap",
        "Registration",
        "STATUSES",
        "Seats",
        "StepReport",
        "add_event",
        "anonymise_due",
        "attendance",
        "attendees",
        "attendees_csv",
        "attendees_json",
        "build_kit",
        "build_recap",
        "cancel_event",
        "cancel_registration",
        "check_in",
        "deliver_mails",
        "demo_event",
        "edit_event",
        "export_person",
        "follow_link",
        "forget_person",
        "get_event",
        "kit_html",
        "kit_json",
        "list_events",
        "read_link",
        "read_program",
        "recap_html",
        "recap_json",
        "recap_markdown",
        "register",
        "run_step",
        "seats_left",
    ],
    "watch": [
        "Alert",
        "DEMO_WATCH",
        "Digest",
        "MailAttachment",
        "Rule",
        "add_rule",
        "alert_hook",
        "alert_rules",
        "build_digest",
        "check_alerts",
        "collect",
        "demo_digest",
        "demo_digest_text",
        "digest_html",
        "digest_markdown",
        "digest_view",
        "get_watch",
        "group_stories",
        "list_watches",
        "mail_missing",
        "pending_alerts",
        "pending_posts",
        "remove_rule",
        "remove_watch",
        "render_digest",
        "resolve_period",
        "run_collector",
        "save_watch",
        "send_digest",
        "send_mail",
        "update_index",
    ],
    "audit": [
        "AccountAudit",
        "audit_accounts",
        "audit_posts",
        "demo_audit_text",
        "demo_profile_path",
        "demo_report",
        "embedding_similarity",
        "label_post",
        "load_posts",
        "normalise_handle",
        "to_html",
        "to_json",
        "to_markdown",
        "write_report",
    ],
    "advise": [
        "Advice",
        "Evidence",
        "KnowledgeBase",
        "advice_dict",
        "advice_text",
        "build_advice",
        "check_output",
        "demo_profile_path",
        "demo_summary",
        "export_knowledge_base",
        "handout_dict",
        "handout_text",
        "interview",
        "load_kb",
        "profile_toml",
        "write_document",
    ],
    "publish": [
        "Account",
        "Client",
        "Composition",
        "Directory",
        "Draft",
        "EXPORT_LAYOUTS",
        "FetchFeed",
        "Image",
        "MediaFile",
        "Queue",
        "QueuedPost",
        "RELAY_FIELDS",
        "RELAY_TEMPLATE",
        "Relay",
        "Relays",
        "Rendering",
        "RunReport",
        "Target",
        "add_account",
        "client_for",
        "compose_post",
        "demo_compose",
        "export_queue",
        "find_directory",
        "open_queue",
        "open_relays",
        "post_network",
        "publish_due_posts",
        "queue_post",
        "render_for",
        "schedule_post",
        "share_links",
        "to_csv",
        "when",
    ],
    "sources": [
        "BATCH_HOOKS",
        "BatchHook",
        "CollectReport",
        "CycleHook",
        "DEFAULT_APPVIEW",
        "FetchError",
        "HostGate",
        "HttpPolicy",
        "OpmlImport",
        "ProgressHook",
        "SourceRecord",
        "SourceReport",
        "add_bluesky",
        "add_mastodon",
        "add_rss",
        "add_source",
        "check_public_url",
        "collect",
        "describe",
        "export_opml",
        "import_opml",
        "list_sources",
        "probe_feed",
        "remove_sources",
        "run",
        "select_sources",
    ],
    "imports": [
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
    ],
    "query": [
        "Node",
        "Query",
        "QuerySyntaxError",
        "compile_matcher",
        "parse",
        "to_text",
    ],
    "text": [
        "Count",
        "Entities",
        "Entity",
        "Language",
        "NETWORKS",
        "Piece",
        "Token",
        "count",
        "detect_language",
        "extract",
        "fold",
        "is_stopword",
        "language_code",
        "normalize_lang",
        "resolve_language",
        "scan",
        "segment_hashtag",
        "stem",
        "stopwords",
        "tokenize",
        "words",
    ],
    "networks": [
        "ARTICLE_NETWORKS",
        "IDS",
        "NETWORKS",
        "Network",
        "Publishing",
        "get",
        "name",
        "normalize_handle",
        "resolve",
    ],
    "store": [
        "Finding",
        "LanguageUpdate",
        "SQLiteStore",
        "SearchError",
        "SearchIndex",
        "SecretKeyError",
        "StorageError",
        "WriteResult",
        "backup",
        "diagnose",
        "seal",
        "storage_error",
        "unseal",
    ],
    "jobs": [
        "Check",
        "STEPS",
        "Step",
        "broker_checks",
        "broker_url",
        "register_step",
        "run_embedded",
        "run_scheduler",
        "run_worker",
    ],
}


@pytest.mark.parametrize("pillar", sorted(EXPORTED))
def test_door_exports_exactly_the_listed_names(pillar: str) -> None:
    door = importlib.import_module(f"veilleur.{pillar}")
    assert sorted(door.__all__) == EXPORTED[pillar]
    assert len(set(door.__all__)) == len(door.__all__), "a name is listed twice"


@pytest.mark.parametrize("pillar", sorted(EXPORTED))
def test_every_exported_name_resolves(pillar: str) -> None:
    door = importlib.import_module(f"veilleur.{pillar}")
    for name in door.__all__:
        value = getattr(door, name)  # a lazy door loads the module that defines it
        assert value is not None, f"veilleur.{pillar}.{name}"


def test_unknown_name_is_an_attribute_error() -> None:
    door = importlib.import_module("veilleur.watch")
    with pytest.raises(AttributeError, match="no_such_use_case"):
        door.no_such_use_case  # noqa: B018


@pytest.mark.parametrize("pillar", sorted(EXPORTED))
def test_no_exported_name_is_also_a_module_of_the_door(pillar: str) -> None:
    # Importing ``veilleur.events.attendees`` (the module) sets the package's attribute
    # ``attendees`` to it, so a lazy name ``attendees`` would turn into a module depending on
    # what was imported first: it happened, and only the order of the test run showed it.
    import pkgutil

    door = importlib.import_module(f"veilleur.{pillar}")
    modules = {m.name for m in pkgutil.iter_modules(getattr(door, "__path__", []))}
    # advise.interview (function and module) predates this test: left for its owner, see
    # notes/events.md.
    known = {"interview"} if pillar == "advise" else set()
    assert modules & set(door.__all__) == known
