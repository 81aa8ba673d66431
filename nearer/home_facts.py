"""What the signed-in home page's cards read, gathered once per request (issue 17 item 2).

Each card used to ask the database for its own counts, flags and single rows, and several cards
read the same things again (the person's links, their partner, whether they have a therapist).
Now a card reads them here:

- :func:`links`: the person's active links, both directions, with both people: one query, shared
  by every card and the sharing list.
- :func:`facts`: one query for everything that is a number, a yes/no or a single row. Each app's
  ``home.py`` may offer ``facts(user) -> dict[str, Expression]`` (names prefixed with the app);
  they are annotated onto the person's own row, so the counts and single rows of every app come
  back together.

Both are kept on the request only, never across requests: what the page shows is read afresh on
every request (the per-person cache of :mod:`nearer.home_cache` sits above this).
"""

from __future__ import annotations

import importlib
from typing import Any

from django.db.models import Expression, IntegerField, Model, Q, QuerySet, Subquery

#: Apps whose ``home.py`` may contribute facts (the home cards, and the private offer on the page).
FACT_APPS = ("accounts", "safety", "measures", "diary", "practice", "together", "learn", "clinic", "relsafety")

_LINKS = "_nearer_home_links"
_FACTS = "_nearer_home_facts"


class SubqueryCount(Subquery):
    """``(SELECT COUNT(*) FROM (subquery))``: a count of another table's rows as one column."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def row(prefix: str, model: type[Model], qs: QuerySet[Any]) -> dict[str, Expression]:
    """The first row of ``qs`` as columns named ``<prefix>_<column>`` (rebuilt by :func:`row_from`).

    Each column keeps its field's type and conversions (encrypted text is decrypted, times are
    times) because the subquery's output field is the model's own field.
    """
    out: dict[str, Expression] = {}
    for f in model._meta.concrete_fields:
        output = f.target_field if f.is_relation else f  # type: ignore[attr-defined]
        out[f"{prefix}_{f.attname}"] = Subquery(qs.values(f.attname)[:1], output_field=output)
    return out


def row_from(prefix: str, model: type[Model], values: dict[str, Any]) -> Any:
    """The model instance of a :func:`row`, or None when there was no row."""
    names = [f.attname for f in model._meta.concrete_fields]
    cols = [values.get(f"{prefix}_{n}") for n in names]
    if cols[names.index(model._meta.pk.attname)] is None:  # type: ignore[union-attr]
        return None
    return model.from_db("default", names, cols)


def _user(request: Any) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def links(request: Any) -> list[Any]:
    """The person's links that are not revoked, owned or received, with ``owner`` and ``viewer`` loaded."""
    if not hasattr(request, _LINKS):
        from nearer.accounts.models import Link

        user = _user(request)
        found = [] if user is None else list(
            Link.objects.filter(Q(owner_id=user.pk) | Q(viewer_id=user.pk), revoked_at__isnull=True)
            .select_related("owner", "viewer").order_by("kind", "created_at", "pk"))
        setattr(request, _LINKS, found)
    return list(getattr(request, _LINKS))


def active_links(request: Any, *, kind: str | None = None, owner: bool | None = None) -> list[Any]:
    """As ``Link.objects.active()`` (the viewer's account is active): ``owner=True`` the person's own
    links, ``owner=False`` the links others made to them, ``None`` both."""
    user = _user(request)
    if user is None:
        return []
    out = []
    for link in links(request):
        if not link.viewer.is_active or (kind is not None and link.kind != kind):
            continue
        mine = link.owner_id == user.pk
        theirs = link.viewer_id == user.pk
        if owner is None or (owner and mine) or (owner is False and theirs):
            out.append(link)
    return out


def partner(request: Any) -> Any | None:
    """The partner when the two hold active partner links both ways (as together's ``_partner_of``)."""
    user = _user(request)
    if user is None or getattr(user, "role", "person") != "person":
        return None
    back = {link.owner_id for link in active_links(request, kind="partner", owner=False)}
    for link in active_links(request, kind="partner", owner=True):
        if link.viewer_id in back:
            return link.viewer
    return None


def facts(request: Any) -> dict[str, Any]:
    """Every app's facts about the signed-in person, in one query (empty when signed out)."""
    if not hasattr(request, _FACTS):
        from django.contrib.auth import get_user_model

        user = _user(request)
        exprs: dict[str, Expression] = {}
        if user is not None:
            for app in FACT_APPS:
                try:
                    module = importlib.import_module(f"nearer.{app}.home")
                except ModuleNotFoundError as exc:
                    if exc.name != f"nearer.{app}.home":
                        raise
                    continue
                contribute = getattr(module, "facts", None)
                if contribute is not None:
                    exprs.update(contribute(user))
        values: dict[str, Any] = {}
        if exprs:
            # Prefixed so that no fact's name can clash with a field or relation of the user model.
            named = {f"hf_{k}": e for k, e in exprs.items()}
            row_ = get_user_model().objects.filter(pk=user.pk).annotate(**named).values(*named).first() or {}
            values = {k[3:]: v for k, v in row_.items()}
        setattr(request, _FACTS, values)
    return dict(getattr(request, _FACTS))


def known(request: Any) -> bool:
    """Whether :func:`facts` has already been read in this request (a card may then use it for free)."""
    return hasattr(request, _FACTS)
