"""The messages of the publishing commands (compose, queue, publish, relay), fr and en."""

from __future__ import annotations

from veilleur.i18n import register

register(
    {
        "publish_cli.published": {
            "fr": "publié {id} {network} {url}",
            "en": "published {id} {network} {url}",
        },
        "publish_cli.recovered": {
            "fr": " (repris après une interruption)",
            "en": " (recovered after an interruption)",
        },
        "publish_cli.failed": {
            "fr": "échec {id} {network} : {error}",
            "en": "failed {id} {network}: {error}",
        },
        "publish_cli.next_try": {
            "fr": " ; nouvel essai le {when} UTC",
            "en": "; next try {when} UTC",
        },
        "publish_cli.no_retry": {
            "fr": " ; pas de nouvel essai (« veilleur queue retry »)",
            "en": "; not retried ('veilleur queue retry')",
        },
        "publish_cli.nothing_due": {
            "fr": "Rien à publier pour l'instant.",
            "en": "nothing due",
        },
        "publish_cli.duplicate": {
            "fr": "Ce message est déjà dans la file : rien n'est ajouté.",
            "en": "This post is already in the queue: nothing added.",
        },
        "publish_cli.relay_saved": {
            "fr": "relais {name} enregistré ; {n} articles déjà présents dans le flux laissés "
            "de côté",
            "en": "relay {name} saved; {n} items already in the feed left aside",
        },
        "publish_cli.relay_run": {
            "fr": "{name} : {items} nouveaux articles, {drafts} brouillons, {scheduled} programmés",
            "en": "{name}: {items} new items, {drafts} drafts, {scheduled} scheduled",
        },
        "publish_cli.exported": {
            "fr": "{n} messages écrits dans {path}",
            "en": "{n} posts written to {path}",
        },
    }
)
