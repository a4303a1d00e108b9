"""Conseil: the advisor's interview (``veilleur advise --interactive``) as a three-step
form, the advice as a page (networks and why, accounts, content mix, cadence, rules, the
first actions, the event route), the advice and the training handout as PDF, and the
answers saved as a profile of the workspace (which the audit then offers).

The wizard keeps no state on the server: each step carries the earlier answers as hidden
fields, and the advice page's address holds every answer (it can be bookmarked or sent).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from starlette.responses import RedirectResponse, Response

from veilleur import advise, networks
from veilleur.errors import InputError, UsageError
from veilleur.i18n import t
from veilleur.model import Profile
from veilleur.profile import (
    load_profile,
    profile_from_mapping,
    save_workspace_profile,
    workspace_profile,
    workspace_profiles,
)
from veilleur.web.routing import EDITOR, VIEWER, Ctx, Router

router = Router()

DEMO = "demo"
TEXTS = ("name", "kind", "positioning", "sector", "audiences", "regions", "languages",
         "keywords", "profile", "count")  # fmt: skip
LISTS = ("objective", "network")
"""The answers: texts (lists are comma-separated, as the interview takes them), and the
checkboxes (several values)."""
STEPS = 3


def _answers(ctx: Ctx) -> dict[str, Any]:
    source = ctx.form if ctx.form is not None else ctx.request.query_params
    found: dict[str, Any] = {name: ctx.value(name).strip() for name in TEXTS}
    for name in LISTS:
        found[name] = [str(v).strip() for v in source.getlist(name) if str(v).strip()]
    return found


def _pairs(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """The answers as query-string pairs (empty ones left out)."""
    pairs = [(name, answers[name]) for name in TEXTS if answers.get(name)]
    pairs += [(name, value) for name in LISTS for value in answers.get(name, [])]
    return pairs


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _profile(ctx: Ctx, answers: dict[str, Any]) -> Profile:
    """The profile the answers describe, or the saved (or demo) profile they name."""
    assert ctx.entry is not None
    if answers["profile"] == DEMO:
        return load_profile(advise.demo_profile_path())
    if answers["profile"]:
        return workspace_profile(ctx.entry.path, answers["profile"])
    data: dict[str, Any] = {"name": answers["name"], "kind": answers["kind"] or "company"}
    for key in ("positioning", "sector"):
        if answers[key]:
            data[key] = answers[key]
    for key in ("audiences", "regions", "keywords"):
        data[key] = _split(answers[key])
    data["languages"] = [v.lower() for v in _split(answers["languages"])] or [ctx.lang]
    data["goals"] = answers["objective"]
    return profile_from_mapping(data, where=t("the advice form"))


def _advice(ctx: Ctx, answers: dict[str, Any]) -> tuple[advise.KnowledgeBase, Any]:
    kb = advise.load_kb()
    profile = _profile(ctx, answers)
    count = int(answers["count"]) if answers["count"].isdigit() else None
    if count is not None and not 1 <= count <= 12:
        raise UsageError(t("Between 1 and 12 networks."))
    with ctx.workspace() as ws:
        built = advise.build_advice(
            profile,
            answers["objective"],
            kb=kb,
            store=ws.store,
            networks=[networks.resolve(n) for n in answers["network"]],
            recommended=count,
        )
    return kb, built


def _choices(kb: advise.KnowledgeBase, lang: str) -> dict[str, Any]:
    """The wizard's options in the reader's language: kinds, objectives, networks."""
    return {
        "kinds": [(k.id, k.label.get(lang)) for k in kb.organisation_kinds.values()],
        "objectives": [(o.id, o.label.get(lang)) for o in kb.objectives.values()],
        "network_choices": [(n.id, n.name.get(lang)) for n in kb.networks.values()],
    }


@router.page("/w/{ws}/advice", "advice", role=VIEWER)
def wizard(ctx: Ctx) -> Response:
    """One step of the questions (1: the organisation, 2: its public and trade, 3: the
    objectives); a step with a missing answer comes back with the reason."""
    assert ctx.entry is not None
    answers = _answers(ctx)
    step = int(ctx.value("step")) if ctx.value("step") in ("1", "2", "3") else 1
    error = None
    if step > 1 and not answers["name"]:
        step, error = 1, t("The name of the organisation is needed.")
    kb = advise.load_kb()
    demo = load_profile(advise.demo_profile_path())
    saved = [(DEMO, t("{name} (demo profile)", name=demo.name))]
    saved += [(slug, p.name) for slug, p in workspace_profiles(ctx.entry.path)]
    return ctx.render(
        "advice.html",
        400 if error else 200,
        step=step,
        steps=STEPS,
        answers=answers,
        error=error,
        saved=saved,
        carried=[(k, v) for k, v in _pairs(answers) if k not in _STEP_FIELDS[step]],
        **_choices(kb, ctx.lang),
    )


_STEP_FIELDS = {
    1: {"name", "kind", "positioning", "sector"},
    2: {"audiences", "regions", "languages", "keywords"},
    3: {"objective", "network", "count"},
}
"""The answers each step asks (the others travel as hidden fields)."""


@router.page("/w/{ws}/advice/result", "advice_result", role=VIEWER)
def result(ctx: Ctx) -> Response:
    """The advice for the answers (or a saved profile)."""
    answers = _answers(ctx)
    if not answers["profile"] and not answers["name"]:
        return ctx.redirect("advice", ws=ctx.entry.slug if ctx.entry else "")
    try:
        kb, built = _advice(ctx, answers)
    except (UsageError, InputError) as exc:
        assert ctx.entry is not None
        kb = advise.load_kb()
        return ctx.render(
            "advice.html",
            400,
            step=3 if answers["name"] else 1,
            steps=STEPS,
            answers=answers,
            error=str(exc),
            saved=[],
            carried=[(k, v) for k, v in _pairs(answers) if k not in _STEP_FIELDS[3]],
            **_choices(kb, ctx.lang),
        )
    data = advise.advice_dict(kb, built, ctx.lang)
    return ctx.render(
        "advice_result.html",
        d=data,
        L=advise.advice_labels(ctx.lang),
        answers=answers,
        pairs=_pairs(answers),
    )


@router.page("/w/{ws}/advice/download", "advice_download", role=VIEWER)
def download(ctx: Ctx) -> Response:
    """The advice (``doc=advice``) or the training handout (``doc=handout``) as PDF, the
    same document as ``veilleur advise`` / ``veilleur handout --format pdf``."""
    answers = _answers(ctx)
    doc = ctx.value("doc")
    if doc not in ("advice", "handout"):
        raise UsageError(t("unknown document '{doc}' (known: advice, handout)", doc=doc))
    if not answers["profile"] and not answers["name"]:
        raise UsageError(t("The name of the organisation is needed."))
    kb, built = _advice(ctx, answers)
    if doc == "handout":
        html = advise.handout_text(advise.handout_dict(kb, built, ctx.lang), "html")
    else:
        html = advise.advice_text(advise.advice_dict(kb, built, ctx.lang), "html")
    with tempfile.TemporaryDirectory(prefix="veilleur-advice-") as folder:
        output = Path(folder) / f"{doc}.pdf"
        advise.write_document(html, "pdf", output)
        body = output.read_bytes()
    name = t("handout") if doc == "handout" else t("advice")
    disposition = f'attachment; filename="{name}.pdf"'
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": disposition})  # fmt: skip


@router.page("/w/{ws}/advice/profile", "advice_save_profile", role=EDITOR, methods=("POST",))
def save_profile(ctx: Ctx) -> Response:
    """Keep the answers as a profile of the workspace (``profiles/<name>.toml``): the
    audit page offers it, ``veilleur audit --profile`` reads the file."""
    assert ctx.entry is not None
    answers = _answers(ctx)
    if answers["profile"]:
        raise UsageError(t("This profile is saved already."))
    if not answers["name"]:
        raise UsageError(t("The name of the organisation is needed."))
    slug = save_workspace_profile(ctx.entry.path, _profile(ctx, answers))
    ctx.session.setdefault("notes", []).append(t("Profile saved: the audit offers it now."))
    target = ctx.path("audit", ws=ctx.entry.slug, query={"profile": slug})
    return RedirectResponse(target, status_code=303)
