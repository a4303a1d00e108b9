"""Audit: an account of the workspace audited against a profile (the demo's, or one saved
from the Conseil wizard), the report read as a page (scores, findings, the charts as SVG,
the post list with each verdict), downloaded as PDF, Markdown or JSON, and a verdict
corrected from the post list (the door of ``veilleur audit label``).

The audit is run again for each page: it reads the workspace as it is, so a corrected
verdict shows in the next report. On the demo workspace it takes well under a second; the
form says « en cours » while it runs (htmx), and works without script too.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import orjson
from starlette.responses import RedirectResponse, Response

from veilleur import audit, networks
from veilleur.errors import InputError, UsageError
from veilleur.i18n import t
from veilleur.model import Profile
from veilleur.profile import load_profile, workspace_profile, workspace_profiles
from veilleur.web.routing import EDITOR, VIEWER, Ctx, Router

router = Router()

DEMO = "demo"
"""The profile value naming the demo organisation's profile shipped with veilleur."""
FIELDS = ("author", "versus", "profile", "network", "since", "until")
"""The audit's parameters, carried from the form to the report, its downloads and back
from a corrected verdict."""
FORMATS = {
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}


def _profiles(folder: Path) -> list[tuple[str, str]]:
    """``(value, name)`` of the profiles one may audit against: the demo's, then the
    workspace's saved ones."""
    demo = load_profile(audit.demo_profile_path())
    saved = [(slug, profile.name) for slug, profile in workspace_profiles(folder)]
    return [(DEMO, t("{name} (demo profile)", name=demo.name)), *saved]


def _profile(folder: Path, value: str) -> Profile:
    if value in ("", DEMO):
        return load_profile(audit.demo_profile_path())
    return workspace_profile(folder, value)


def _day(value: str, label: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        return datetime.combine(date.fromisoformat(value.strip()), time(), tzinfo=UTC)
    except ValueError:
        raise UsageError(
            t("{field}: '{value}' is not a date (YYYY-MM-DD)", field=label, value=value)
        ) from None


def _params(ctx: Ctx) -> dict[str, str]:
    return {name: ctx.value(name).strip() for name in FIELDS}


def _run(ctx: Ctx, params: dict[str, str]) -> list[audit.AccountAudit]:
    """The audits the parameters ask for (the first account, then those compared)."""
    authors = [params["author"]] + [
        a.strip() for a in params["versus"].replace(";", ",").split(",") if a.strip()
    ]
    network = networks.resolve(params["network"]) if params["network"] else None
    since = _day(params["since"], t("From"))
    until = _day(params["until"], t("Until"))
    assert ctx.entry is not None
    profile = _profile(ctx.entry.path, params["profile"])
    with ctx.workspace() as ws:
        return audit.audit_accounts(
            ws.store, authors, profile, network=network, since=since, until=until
        )


@router.page("/w/{ws}/audit", "audit", role=VIEWER)
def audit_page(ctx: Ctx) -> Response:
    """The form, and the report below it once an account is given."""
    assert ctx.entry is not None
    params = _params(ctx)
    with ctx.workspace() as ws:
        accounts = audit.known_accounts(ws.store)
    found: dict[str, Any] = {
        "params": params,
        "accounts": accounts,
        "profiles": _profiles(ctx.entry.path),
        "networks": sorted({network for _, network, _ in accounts}),
        "fields": {k: v for k, v in params.items() if v},
    }
    status = 200
    if params["author"]:
        try:
            found["view"] = audit.report_view(_run(ctx, params), ctx.lang)
        except (UsageError, InputError) as exc:  # an unknown account or profile, a bad date
            found["error"], status = str(exc), 400
    if ctx.htmx:  # htmx swaps only a 2xx answer: the reason must show in place
        return ctx.render("audit_report.html", **found)
    return ctx.render("audit.html", status, **found)


@router.page("/w/{ws}/audit/download", "audit_download", role=VIEWER)
def download(ctx: Ctx) -> Response:
    """The report as a file: PDF (WeasyPrint, as ``veilleur audit --format pdf``),
    Markdown or JSON."""
    fmt = ctx.value("format")
    params = _params(ctx)
    if fmt not in FORMATS:
        raise UsageError(t("unknown format '{fmt}' (known: pdf, md, json)", fmt=fmt))
    if not params["author"]:
        raise UsageError(t("Give the account to audit."))
    audits = _run(ctx, params)
    if fmt == "json":
        body = orjson.dumps(audit.to_json(audits, ctx.lang), option=orjson.OPT_INDENT_2)
    elif fmt == "md":
        body = audit.to_markdown(audits, ctx.lang).encode("utf-8")
    else:
        with tempfile.TemporaryDirectory(prefix="veilleur-audit-") as folder:
            output = Path(folder) / "audit.pdf"
            audit.write_report(audits, "pdf", output, ctx.lang)
            body = output.read_bytes()
    name = "".join(c if c.isalnum() or c in "-_." else "-" for c in audits[0].author)
    disposition = f'attachment; filename="audit-{name}.{fmt}"'
    return Response(body, media_type=FORMATS[fmt], headers={"Content-Disposition": disposition})


@router.page("/w/{ws}/audit/label", "audit_label", role=EDITOR, methods=("POST",))
def label(ctx: Ctx) -> Response:
    """A consultant's verdict on one post (``none`` gives the classifier's back); then the
    report again, at that post."""
    post_id, category = ctx.value("post_id").strip(), ctx.value("category").strip()
    if not post_id:
        raise UsageError(t("Which post? Its id is missing."))
    kept = None if category in ("", "none") else category
    network = ctx.value("post_network").strip() or None
    with ctx.workspace() as ws:
        audit.label_post(ws.store, post_id, kept, network)
    ctx.session.setdefault("notes", []).append(
        t("Verdict set by hand: every later audit uses it.")
        if kept
        else t("The classifier's verdict is back.")
    )
    assert ctx.entry is not None
    query = {k: v for k, v in _params(ctx).items() if v}
    target = ctx.path("audit", ws=ctx.entry.slug, query=query or None)
    anchor = ctx.value("anchor")
    if anchor.isdigit():
        target += f"#post-{anchor}"
    return RedirectResponse(target, status_code=303)
