"""The signed-in home page's cards, cached per person and invalidated on write.

The home page gathers a card from seven apps (about 70 queries for a person with some history,
one per conversation among them).  With a shared cache (Redis: ``NEARER_REDIS_URL``) the cards
except the safety card are kept per person for :data:`TTL_SECONDS`, under a per-person version
number.  Any save or delete of a model in the apps that feed the home page bumps the version of
every person it names (its foreign keys to a user) and of the people linked to them (partner,
therapist, couple), so the next home page is computed afresh.  Time-driven changes (a
questionnaire window opening, an invitation expiring, a new local day) show within the TTL; the
day is part of the key.

The same per-person versions key :func:`cached_many`: facts derived from a person's data that a page
lists for many people at once (the caseload's check-in streak and loop direction per client), so a
write that refreshes someone's home page refreshes those too.

Never cached: the safety card (crisis help and the safety plan are read live on every request),
and everything when the cache is per process (``LocMemCache``: one worker's bump would not reach
the others), so the embedded single-machine setup always computes the page afresh.
"""

from __future__ import annotations

import io
import logging
import pickle
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model, Q
from django.utils.functional import Promise

from nearer.accounts.models import Link
from nearer.together.models import Couple

logger = logging.getLogger(__name__)

#: Seconds a person's cached cards live at most (time-driven changes show within this).
TTL_SECONDS = 300
#: Apps whose writes can change someone's home page.
WATCHED_APPS = frozenset({"accounts", "diary", "measures", "practice", "together", "learn", "clinic", "safety"})
#: Models written on every request (sign-in bookkeeping) that no card shows.
IGNORED_MODELS = frozenset({"accounts.apitoken"})


def enabled() -> bool:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return bool(getattr(settings, "NEARER_HOME_CACHE", "locmem" not in backend.lower() and "dummy" not in backend.lower()))


def _version_key(user_id: int) -> str:
    return f"nearer:home:v:{user_id}"


def cached(user: Any, parts: Iterable[str], compute: Callable[[], Any]) -> Any:
    """``compute()`` for this person, from the cache when their cards have not changed since."""
    if not enabled():
        return compute()
    version = cache.get(_version_key(user.pk))
    if version is None:
        version = 1
        cache.add(_version_key(user.pk), version, None)
    key = "nearer:home:" + ":".join([str(user.pk), str(version), *parts])
    hit = cache.get(key)
    if isinstance(hit, bytes):
        return pickle.loads(hit)  # noqa: S301 - our own cards, written below
    value = compute()
    try:
        cache.set(key, _dumps(value), TTL_SECONDS)
    except Exception:  # noqa: BLE001 - a card that cannot be pickled is simply not cached
        logger.warning("home cards not cached: %s", type(value).__name__)
    return value


def cached_many(keys: dict[int, str], compute: Callable[[list[int]], dict[int, Any]]) -> dict[int, Any]:
    """``compute(ids)`` for many people at once, from the cache for those whose data has not changed.

    ``keys`` maps each person's id to what else the value depends on (the page, their local day);
    ``compute`` is called once, with the people not found, and returns their values by id. Two
    cache round trips for any number of people, plus one write when some were computed afresh.
    """
    if not enabled():
        return compute(list(keys))
    vkeys = {uid: _version_key(uid) for uid in keys}
    versions = cache.get_many(list(vkeys.values()))
    full: dict[int, str] = {}
    for uid, vkey in vkeys.items():
        version = versions.get(vkey)
        if version is None:
            version = 1
            cache.add(vkey, version, None)
        full[uid] = f"nearer:facts:{uid}:{version}:{keys[uid]}"
    hits = cache.get_many(list(full.values()))
    out = {uid: hits[key] for uid, key in full.items() if key in hits}
    missing = [uid for uid in keys if uid not in out]
    if missing:
        fresh = compute(missing)
        cache.set_many({full[uid]: fresh[uid] for uid in missing if uid in fresh}, TTL_SECONDS)
        out.update(fresh)
    return out


class _Pickler(pickle.Pickler):
    """Lazy translations are stored as the text they have now (the key holds the language).

    Unpickling a lazy string builds a new proxy class each time (about a third of a millisecond
    each, some twenty-five on a home page): the warm home page spent more CPU on that than on
    anything else (``benchmarks/page_cpu.py``).
    """

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Promise):
            return str, (str(obj),)
        return NotImplemented


def _dumps(value: Any) -> bytes:
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


def bump(user_ids: Iterable[int]) -> None:
    """Invalidate these people's cached cards (their version moves on)."""
    for uid in set(user_ids):
        try:
            cache.incr(_version_key(uid))
        except ValueError:  # no version yet: nothing cached under it
            pass


def _user_ids_of(instance: Model) -> set[int]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    ids: set[int] = set()
    if isinstance(instance, user_model):
        ids.add(int(instance.pk))
    for field in instance._meta.concrete_fields:
        if getattr(field, "remote_field", None) is not None and field.related_model is user_model:
            value = getattr(instance, field.attname, None)
            if value is not None:
                ids.add(int(value))
    return ids


def _people_linked_to(ids: set[int]) -> set[int]:
    out = set(ids)
    for owner, viewer in Link.objects.filter(Q(owner_id__in=ids) | Q(viewer_id__in=ids), revoked_at__isnull=True) \
            .values_list("owner_id", "viewer_id"):
        out.update((owner, viewer))
    for a, b in Couple.objects.filter(Q(a_id__in=ids) | Q(b_id__in=ids)).values_list("a_id", "b_id"):
        out.update((a, b))
    return out


def on_write(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """post_save / post_delete receiver (connected in :mod:`nearer.diary.apps`)."""
    meta = sender._meta
    if meta.app_label not in WATCHED_APPS or meta.label_lower in IGNORED_MODELS or not enabled():
        return
    ids = _user_ids_of(instance)
    if not ids and hasattr(instance, "couple_id"):
        ids = set(type(instance).couple.field.related_model.objects.filter(pk=instance.couple_id)  # type: ignore[attr-defined]
                  .values_list("a_id", flat=True))
    if ids:
        changed(ids)


def changed(user_ids: Iterable[int]) -> None:
    """These people's data changed (and so, possibly, the pages of everyone linked to them): for
    writes that send no signal (``bulk_create``, ``update``), called by the service that made them."""
    if not enabled():
        return
    people = _people_linked_to(set(user_ids))
    bump(people)
    # Again once the write is committed: a page computed between the first bump and the commit
    # read the rows as they were and cached them under the new version.
    transaction.on_commit(lambda: bump(people), robust=True)
