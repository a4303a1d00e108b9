# -- schema (SQLAlchemy Core) ----
from sqlalchemy import Column, Index, Integer, Table, Text, UniqueConstraint, text

from veilleur.store.schema import metadata

publish_accounts = Table(
    "publish_accounts",
    metadata,
    Column("name", Text, primary_key=True),
    Column("network", Text, nullable=False),
    Column("server", Text),
    Column("handle", Text),
    Column("secret", Text),
    Column("times", Text, nullable=False, server_default=text("'[]'")),  # JSON ["09:00"]
    Column("timezone", Text, nullable=False, server_default=text("'Europe/Paris'")),
    Column("created_at", Text, nullable=False),
)

publish_queue = Table(
    "publish_queue",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("network", Text, nullable=False),
    Column("account", Text),
    Column("status", Text, nullable=False),
    Column("texts", Text, nullable=False),  # JSON list, one text per part of a thread
    Column("media", Text, nullable=False, server_default=text("'[]'")),
    Column("link", Text),
    Column("lang", Text),
    Column("idempotency_key", Text, nullable=False),
    Column("scheduled_at", Text),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", Text),
    Column("last_error", Text),
    Column("in_flight_at", Text),
    Column("part_keys", Text, nullable=False, server_default=text("'[]'")),
    Column("remote_ids", Text, nullable=False, server_default=text("'[]'")),
    Column("remote_urls", Text, nullable=False, server_default=text("'[]'")),
    Column("published_at", Text),
    Column("source", Text),
    Column("created_at", Text, nullable=False),
    Column("card", Text),  # JSON {title, description}
    UniqueConstraint("network", "account", "idempotency_key"),
)
Index("publish_queue_due", publish_queue.c.status, publish_queue.c.scheduled_at)

publish_relays = Table(
    "publish_relays",
    metadata,
    Column("name", Text, primary_key=True),
    Column("feed_url", Text, nullable=False),
    Column("targets", Text, nullable=False),  # JSON list of {network, account}
    Column("template", Text, nullable=False),
    Column("auto", Integer, nullable=False, server_default=text("0")),
    Column("last_run", Text),
    Column("last_error", Text),
    Column("created_at", Text, nullable=False),
)

publish_relay_items = Table(
    "publish_relay_items",
    metadata,
    Column("relay", Text, primary_key=True),
    Column("item_key", Text, primary_key=True),
    Column("url", Text),
    Column("title", Text),
    Column("published", Text),
    Column("seen_at", Text, nullable=False),
)
