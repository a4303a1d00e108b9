"""``veilleur advise`` and ``veilleur handout``: the needs-first advice and the training handout.

Thin: options are read here, the advice is built by :mod:`veilleur.advise`, rendered by
:mod:`veilleur.advise.render`. Evidence comes from the workspace only when it already
exists (the advisor never creates an empty workspace as a side effect).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from veilleur import advise as advisor
from veilleur.cli.context import err, out, state
from veilleur.cli.options import (
    AdviceFormat,
    HandoutFormat,
    Lang,
    format_option,
    lang_option,
    output_option,
)
from veilleur.cli.options import language as chosen_language
from veilleur.errors import UsageError
from veilleur.i18n import _, current_lang, t
from veilleur.model import Profile
from veilleur.networks import resolve as resolve_network
from veilleur.profile import load_profile

if TYPE_CHECKING:
    from veilleur.store import SQLiteStore

ProfileOpt = Annotated[
    Path | None,
    typer.Option("--profile", "-p", help="The organisation's profile (TOML file).", dir_okay=False),
]
ObjectiveOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--objective",
        "-o",
        help="An objective id (repeat the option); default: the profile's goals. "
        "E.g. recruit_local, sales, watch_sector.",
    ),
]
NetworkOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--network",
        "-n",
        help="Impose the networks to work on (repeat the option), e.g. a training day on "
        "facebook and x; default: the best-ranked ones.",
    ),
]
OutputOpt = Annotated[
    Path | None,
    output_option("Write to this file (required for pdf); default: stdout.", short=False),
]
LangOpt = Annotated[
    Lang | None, lang_option("Language of the advice (fr or en); default: your locale.")
]
KbOpt = Annotated[
    Path | None,
    typer.Option(
        "--kb",
        help="A knowledge-base folder to use instead of the built-in one (an edited copy of "
        "its YAML files).",
        file_okay=False,
    ),
]
EvidenceOpt = Annotated[
    bool,
    typer.Option(
        "--evidence/--no-evidence",
        help="Add what the workspace measured on the profile's keywords (when it has posts).",
    ),
]
DemoOpt = Annotated[
    bool, typer.Option("--demo", help="Use the demo organisation's profile shipped with veilleur.")
]


def _store(ctx: typer.Context) -> SQLiteStore | None:
    """The workspace's store if the workspace already holds a database, else ``None``."""
    from veilleur.workspace import holds_database

    if not holds_database(state(ctx).workspace_path):
        return None
    return state(ctx).workspace().store


def _profile(profile: Path | None, demo: bool) -> Profile:
    if demo:
        return load_profile(advisor.demo_profile_path())
    if profile is None:
        raise UsageError(_("give --profile FILE (an organisation TOML), --demo or --interactive"))
    return load_profile(profile)


def _ask(question: str) -> str:
    err.print(question, markup=False, emoji=False, end=" ")
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


def _say(text: str) -> None:
    err.print(text, markup=False, emoji=False)


def _emit(text: str | None) -> None:
    if text is not None:
        out.print(text, markup=False, emoji=False, end="" if text.endswith("\n") else "\n")


def _kb(folder: Path | None) -> advisor.KnowledgeBase:
    return advisor.load_kb(folder)


def advise(
    ctx: typer.Context,
    profile: ProfileOpt = None,
    objective: ObjectiveOpt = None,
    fmt: Annotated[
        AdviceFormat, format_option("Output format: md, html, json or pdf.")
    ] = AdviceFormat.md,
    output: OutputOpt = None,
    lang: LangOpt = None,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive", "-i", help="Ask the questions (on the terminal) instead of a profile."
        ),
    ] = False,
    save_profile: Annotated[
        Path | None,
        typer.Option("--save-profile", help="With --interactive: save the answers as a profile."),
    ] = None,
    network: NetworkOpt = None,
    recommended: Annotated[
        int | None,
        typer.Option("--count", min=1, max=12, help="How many networks to recommend (default 3)."),
    ] = None,
    kb: KbOpt = None,
    evidence: EvidenceOpt = True,
    demo: DemoOpt = False,
    export_kb: Annotated[
        Path | None,
        typer.Option(
            "--export-kb",
            help="Copy the built-in knowledge base (YAML files) into this folder to edit it, "
            "then use it with --kb FOLDER.",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Which network, to do what? Ranked networks with their reasons, accounts, content mix,
    cadence, rules, the first ten actions and watch queries for an organisation."""
    if export_kb is not None:
        copied = advisor.export_knowledge_base(export_kb)
        err.print(
            t(
                "{n} files copied to {folder}; edit them, then use --kb {folder}",
                n=len(copied),
                folder=export_kb,
            ),
            markup=False,
        )
        return
    advisor.check_output(fmt.value, output)
    language = chosen_language(lang, current_lang())
    base = _kb(kb)
    objectives = list(objective or [])
    if interactive:
        org, objectives = advisor.interview(base, _ask, _say, language)
        if save_profile is not None:
            save_profile.write_text(advisor.profile_toml(org), encoding="utf-8")
    else:
        org = _profile(profile, demo)
    store = _store(ctx) if evidence else None
    advice = advisor.build_advice(
        org,
        objectives,
        kb=base,
        store=store,
        networks=[resolve_network(n) for n in network or ()],
        recommended=recommended,
    )
    data = advisor.advice_dict(base, advice, language)
    kind = "html" if fmt is AdviceFormat.pdf else fmt.value
    _emit(advisor.write_document(advisor.advice_text(data, kind), fmt.value, output))


def handout(
    ctx: typer.Context,
    profile: ProfileOpt = None,
    objective: ObjectiveOpt = None,
    network: NetworkOpt = None,
    participants: Annotated[
        int | None,
        typer.Option(
            "--participants", min=1, help="Number of people trained (shown on the cover)."
        ),
    ] = None,
    fmt: Annotated[
        HandoutFormat, format_option("Output format: html, pdf or json.")
    ] = HandoutFormat.html,
    output: OutputOpt = None,
    lang: LangOpt = None,
    kb: KbOpt = None,
    demo: DemoOpt = False,
) -> None:
    """The training-day handout: objectives reachable on each network, set-up checklists,
    the savoir-publier rules and how to prepare a live-tweet."""
    advisor.check_output(fmt.value, output)
    language = chosen_language(lang, current_lang())
    base = _kb(kb)
    org = _profile(profile, demo)
    advice = advisor.build_advice(
        org, list(objective or []), kb=base, networks=[resolve_network(n) for n in network or ()]
    )
    data = advisor.handout_dict(base, advice, language, participants)
    kind = "html" if fmt is HandoutFormat.pdf else fmt.value
    _emit(advisor.write_document(advisor.handout_text(data, kind), fmt.value, output))
