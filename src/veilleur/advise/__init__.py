"""The needs-first advisor: « Quel réseau ? Pour en faire quoi ? » — the pillar's door.

From an organisation's profile and objectives to ranked networks with their reasons, the
kind of accounts, the content mix, the cadence, the savoir-publier rules, the first ten
actions and watch queries — and, when the workspace holds posts on the profile's keywords,
what was measured there. The knowledge base is data (``data/*.yaml``), editable without code.

    advice = build_advice(profile, ["recruit_local"], store=store)
    data = advice_dict(kb, advice, "fr")            the view model every renderer reads
    advice_text(data, "html") / handout_text(handout_dict(kb, advice, "fr"), "html")
    advice_labels(lang)                             the fixed words, for another page's layout
    write_document(text, fmt, path)                 a file (PDF through WeasyPrint) or text
    interview(kb, ask, say, lang)                   the questions, instead of a profile

Importing this package is cheap: each name is loaded from its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from veilleur.lazy import exports

if TYPE_CHECKING:
    from veilleur.advise.demo import demo_profile_path, demo_summary
    from veilleur.advise.engine import Advice, Evidence
    from veilleur.advise.handout import handout_dict
    from veilleur.advise.interview import interview, profile_toml
    from veilleur.advise.kb import KnowledgeBase, export_knowledge_base, load_kb
    from veilleur.advise.present import advice_dict
    from veilleur.advise.render import advice_text, check_output, handout_text
    from veilleur.advise.render import labels as advice_labels
    from veilleur.advise.render import write as write_document
    from veilleur.advise.usecases import build_advice

__all__ = [
    "Advice",
    "Evidence",
    "KnowledgeBase",
    "advice_dict",
    "advice_labels",
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
]

__getattr__ = exports(
    __name__,
    {
        "demo_profile_path": "veilleur.advise.demo",
        "demo_summary": "veilleur.advise.demo",
        "Advice": "veilleur.advise.engine",
        "Evidence": "veilleur.advise.engine",
        "handout_dict": "veilleur.advise.handout",
        "interview": "veilleur.advise.interview",
        "profile_toml": "veilleur.advise.interview",
        "KnowledgeBase": "veilleur.advise.kb",
        "export_knowledge_base": "veilleur.advise.kb",
        "load_kb": "veilleur.advise.kb",
        "advice_dict": "veilleur.advise.present",
        "advice_labels": "veilleur.advise.render:labels",
        "advice_text": "veilleur.advise.render",
        "check_output": "veilleur.advise.render",
        "handout_text": "veilleur.advise.render",
        "write_document": "veilleur.advise.render:write",
        "build_advice": "veilleur.advise.usecases",
    },
)
