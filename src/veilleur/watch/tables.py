# -- schema (SQLAlchemy Core) ----
from sqlalchemy import Column, Float, Index, Integer, LargeBinary, Table, Text

from veilleur.store.schema import metadata

watches = Table(
    "watches",
    metadata,
    Column("name", Text, primary_key=True),
    Column("query", Text, nullable=False),
    Column("description", Text),
    Column("created_at", Text, nullable=False),
)

watch_signatures = Table(
    "watch_signatures",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=False),  # the post's pk
    Column("time", Integer, nullable=False),
    Column("sig", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("truncated", Integer, nullable=False),
    Column("exact", Integer, nullable=False),
    Column("prefix", Integer, nullable=False),
    Column("grp", Integer, nullable=False),
)
Index("watch_signatures_time", watch_signatures.c.time)

watch_segments = Table(
    "watch_segments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("first_pk", Integer, nullable=False),
    Column("last_pk", Integer, nullable=False),
    Column("min_time", Integer, nullable=False),
    Column("max_time", Integer, nullable=False),
    Column("posts", Integer, nullable=False),
    Column("keys", LargeBinary, nullable=False),
)
Index("watch_segments_time", watch_segments.c.max_time, watch_segments.c.min_time)

watch_state = Table(
    "watch_state",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # assigned by the watch
    Column("first_seen", Integer, nullable=False),
    Column("last_seen", Integer, nullable=False),
    Column("size", Integer, nullable=False),
    Column("representative", Integer, nullable=False),
    Column("centroid", LargeBinary),
)
Index("stories_last_seen", stories.c.last_seen)

story_posts = Table(
    "story_posts",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=False),  # the post's pk
    Column("story", Integer, nullable=False),
    Column("grp", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("similarity", Float, nullable=False),
)
Index("story_posts_story", story_posts.c.story)
Index("story_posts_grp", story_posts.c.grp)

story_urls = Table(
    "story_urls",
    metadata,
    Column("url", Text, primary_key=True),
    Column("story", Integer, nullable=False),
    sqlite_with_rowid=False,
)

story_terms = Table(
    "story_terms",
    metadata,
    Column("term", Integer, primary_key=True, autoincrement=False),  # a term's number
    Column("df", Integer, nullable=False),
)

alert_rules = Table(
    "alert_rules",
    metadata,
    Column("name", Text, primary_key=True),
    Column("watch", Text, nullable=False),
    Column("accounts", Text, nullable=False),  # JSON list of handles
    Column("spike", Float),
    Column("mail", Text),
    Column("webhook", Text),
    Column("created_at", Text, nullable=False),
)

alerts_sent = Table(
    "alerts_sent",
    metadata,
    Column("rule", Text, primary_key=True),
    Column("story", Integer, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("sent_at", Text, nullable=False),
)
