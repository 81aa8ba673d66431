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

from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Expression, IntegerField, Model, Q, QuerySet, Subquery

#: Apps whose ``home.py`` may contribute facts (the home cards, and the private offer on the page).

_LINKS = "_nearer_home_links"
_FACTS = "_nearer_home_facts"


class SubqueryCount(Subquery):
    """``(SELECT COUNT(*) FROM (subquery))``: a count of another table's rows as one column."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def row(prefix: str, model: type[Model], qs: QuerySet[Any]) -> dict[str, Any]:
    """The first row of ``qs`` as columns named ``<prefix>_<column>`` (rebuilt by :func:`row_from`).

    Each column keeps its field's type and conversions (encrypted text is decrypted, times are
    times) because the subquery's output field is the model's own field.
    """
    out: dict[str, Any] = {}
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


def _stand_in(k: int, value: Any) -> Any:
    """A value of the same type as ``value`` that no real parameter has (found again in the SQL's parameters)."""
    if isinstance(value, datetime):
        return datetime(1800 + k, 1, 1, 0, 0, 7, tzinfo=UTC)
    if isinstance(value, date):
        return date(1800 + k, 1, 7)
    if isinstance(value, int) and not isinstance(value, bool):
        return -(10**12) - k
    raise TypeError(f"a fact parameter must be a datetime, date or int, not {type(value).__name__}")


def _adapt(connection: Any, value: Any) -> Any:
    """``value`` as Django hands it to this database (SQLite gets text for dates and times)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


class _Prepared:
    """The facts query for one shape (the person's role), compiled once per process.

    Building and compiling some ninety subqueries cost about 60 ms of CPU per request; the SQL only
    changes with the person's role, so it is compiled once with stand-in parameters and then run
    with each request's values (the person, the week's window, now) in their places.
    """

    def __init__(self, connection: Any, user: Any, params: dict[str, Any]) -> None:
        from django.contrib.auth import get_user_model

        stand_ins = {name: _stand_in(k, value) for k, (name, value) in enumerate(sorted(params.items()), start=1)}
        exprs = _expressions(user, stand_ins)
        named = {f"hf_{k}": e for k, e in exprs.items()}
        self.sql = ""
        if not named:  # nothing to ask for this role
            return
        qs = get_user_model().objects.filter(pk=stand_ins["user"]).annotate(**named).values(*named)
        self.names = [n[3:] for n in qs.query.annotation_select]
        compiler = qs.query.get_compiler(connection=connection)
        sql, template = compiler.as_sql()
        self.sql = sql
        self.converters = compiler.get_converters([col[0] for col in compiler.select])
        # Where each stand-in went, and whether Django had already adapted it for the database.
        raw = {_key(v): name for name, v in stand_ins.items()}
        adapted = {_key(_adapt(connection, v)): name for name, v in stand_ins.items()}
        self.slots: list[tuple[str, str | None, Any]] = []
        found = set()
        for value in template:
            k = _key(value)
            if k in raw:
                self.slots.append(("raw", raw[k], None))
                found.add(raw[k])
            elif k in adapted:
                self.slots.append(("adapted", adapted[k], None))
                found.add(adapted[k])
            else:
                self.slots.append(("fixed", None, value))
        if "user" not in found:
            raise ValueError("the person's id is not among the facts query's parameters")

    def run(self, connection: Any, params: dict[str, Any]) -> dict[str, Any]:
        if not self.sql:
            return {}
        args = [value if how == "fixed" or name is None else params[name] if how == "raw"
                else _adapt(connection, params[name]) for how, name, value in self.slots]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, args)
            found = cursor.fetchone()
        if found is None:
            return {}
        values = list(found)
        # As the compiler's apply_converters, with this thread's connection (not the one it was compiled on).
        for pos, (convs, expression) in self.converters.items():
            value = values[pos]
            for convert in convs:
                value = convert(value, expression, connection)
            values[pos] = value
        return dict(zip(self.names, values, strict=True))


def _key(value: Any) -> Any:
    return (type(value).__name__, value) if isinstance(value, (int, str, datetime, date)) else None


_PREPARED: dict[tuple[Any, ...], _Prepared] = {}


def _modules() -> list[Any]:
    """The apps whose ``home.py`` offers facts, imported directly (every app is always installed)."""
    from nearer.accounts import home as accounts_home
    from nearer.clinic import home as clinic_home
    from nearer.learn import home as learn_home
    from nearer.measures import home as measures_home
    from nearer.practice import home as practice_home
    from nearer.relsafety import home as relsafety_home
    from nearer.safety import home as safety_home
    from nearer.together import home as together_home

    return [
        accounts_home, safety_home, measures_home, practice_home, together_home, learn_home, clinic_home, relsafety_home
    ]


def _params(user: Any) -> dict[str, Any]:
    params: dict[str, Any] = {"user": int(user.pk)}
    for module in _modules():
        params.update(getattr(module, "fact_params", lambda _u: {})(user))
    return params


def _expressions(user: Any, params: dict[str, Any]) -> dict[str, Expression]:
    exprs: dict[str, Expression] = {}
    for module in _modules():
        exprs.update(module.facts(user, params))
    return exprs


def _shape(user: Any) -> tuple[Any, ...]:
    # What the facts' SQL may depend on besides their parameters (an app's ``facts`` branches on these only).
    return (getattr(user, "role", ""), bool(getattr(user, "is_therapist", False)),
            bool(getattr(user, "is_clinic_admin", False)))


def facts(request: Any) -> dict[str, Any]:
    """Every app's facts about the signed-in person, in one query (empty when signed out).

    An app's ``home.py`` offers ``facts(user, params) -> {name: expression}`` (depending on the person
    only through their role and through ``params``) and, when it needs values of its own (a window
    of dates, now), ``fact_params(user) -> {name: value}`` with datetimes, dates or ints.
    """
    if not hasattr(request, _FACTS):
        from django.db import connection

        user = _user(request)
        values: dict[str, Any] = {}
        if user is not None:
            params = _params(user)
            key = (connection.alias, connection.vendor, _shape(user), tuple(sorted(params)))
            prepared = _PREPARED.get(key)
            if prepared is None:
                prepared = _PREPARED[key] = _Prepared(connection, user, params)
            values = prepared.run(connection, params)
        setattr(request, _FACTS, values)
    return dict(getattr(request, _FACTS))


def known(request: Any) -> bool:
    """Whether :func:`facts` has already been read in this request (a card may then use it for free)."""
    return hasattr(request, _FACTS)
