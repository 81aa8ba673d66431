"""Couple conversations over JSON: rhythm, talks (create, readiness, rate, reveal), trend, therapist view."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from nearer.accounts.models import User
from nearer.privacy import access
from nearer.together import queries, services
from nearer.together.models import Conversation, Rhythm

router = Router()


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _local_time_schema(schema: dict[str, Any]) -> None:
    # JSON Schema's "time" format is RFC 3339 full-time, which requires an offset; these are
    # wall-clock times with none, so the document says so with a pattern instead.
    schema.pop("format", None)
    schema["pattern"] = LOCAL_TIME_PATTERN


LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


class RhythmOut(Schema):
    id: int
    weekdays: list[int]
    at: time = Field(..., description="The couple's own local time of day, like 19:30:00.",
                     json_schema_extra=_local_time_schema)
    proposed_by_me: bool
    confirmed: bool


class RhythmState(Schema):
    current: RhythmOut | None
    pending: RhythmOut | None
    next_talk: datetime | None


class RhythmIn(Schema):
    weekdays: list[int] = Field(..., min_length=1)
    at: time = Field(..., description="The couple's own local time of day, without a time zone, like 19:30.",
                     json_schema_extra=_local_time_schema)

    @field_validator("at")
    @classmethod
    def _local_time(cls, value: time) -> time:
        # A talk happens at the couple's wall-clock time; an offset would be silently wrong (and the
        # database refuses aware times), so it is a 422 naming the field.
        if value.tzinfo is not None:
            raise ValueError("Give a local time without a time zone, like 19:30.")
        return value


class PromptOut(Schema):
    id: str
    depth: int
    depth_label: str
    text: str
    follow_up: str | None = None


class ConversationOut(Schema):
    id: int
    prompt: PromptOut
    depth: int
    state: str
    created_at: datetime
    my_ready: bool | None
    rated_by_me: bool
    both_rated: bool


class ConversationIn(Schema):
    prompt_id: str = Field(..., min_length=1, max_length=40)


class ReadinessIn(Schema):
    ready: bool


class RatingIn(Schema):
    heard: int = Field(..., ge=0, le=10)
    accepted: int = Field(..., ge=0, le=10)
    close: int = Field(..., ge=0, le=10)
    defensive: int = Field(..., ge=0, le=10)
    note: str = Field("", max_length=4000)
    share: bool = True
    note_shared: bool = False


class CrisisOut(Schema):
    show_card: bool
    level: str
    help_url: str


class RatingOut(Schema):
    conversation_id: int
    saved: bool
    crisis: CrisisOut | None
    show_crisis_help: bool = False


class RevealOut(Schema):
    both_rated: bool
    rated_by_me: bool
    mine: dict[str, int] | None
    my_share: bool
    partner_shared: bool
    theirs: dict[str, int] | None
    their_note: str | None
    phrases: list[str]


class TrendOut(Schema):
    weeks: list[dict[str, Any]]
    per_week: float
    heard_accepted: list[dict[str, Any]]
    mood: list[dict[str, Any]]


def _rhythm(r: Rhythm | None, me: User) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"id": r.pk, "weekdays": r.weekdays, "at": r.at, "proposed_by_me": r.proposed_by_id == me.pk,
            "confirmed": r.confirmed_at is not None}


def _conv(c: Conversation, me: User) -> dict[str, Any]:
    rated = {r.person_id for r in c.ratings.all()}
    return {"id": c.pk, "prompt": queries.prompt_view(c.prompt_id), "depth": c.depth, "state": c.state,
            "created_at": c.created_at, "my_ready": c.ready_of(me.pk), "rated_by_me": me.pk in rated,
            "both_rated": len(rated) == 2}


@router.get("/rhythm", response=RhythmState)
def get_rhythm(request: HttpRequest) -> dict[str, Any]:
    me = _me(request)
    couple = services.require_couple(me)
    current = services.current_rhythm(couple)
    return {"current": _rhythm(current, me), "pending": _rhythm(services.pending_rhythm(couple), me),
            "next_talk": queries.next_talk(current, me)}


@router.post("/rhythm", response={201: RhythmOut})
def propose_rhythm(request: HttpRequest, payload: RhythmIn) -> Status:
    me = _me(request)
    r = services.propose_rhythm(me, payload.weekdays, payload.at)
    return Status(201, _rhythm(r, me))


@router.post("/rhythm/{rhythm_id}/confirm", response=RhythmOut)
def confirm_rhythm(request: HttpRequest, rhythm_id: int) -> dict[str, Any] | None:
    me = _me(request)
    return _rhythm(services.confirm_rhythm(me, rhythm_id), me)


@router.get("/prompts", response=list[PromptOut])
def offered_prompts(request: HttpRequest) -> list[dict[str, Any]]:
    couple = services.require_couple(_me(request))
    return [queries.prompt_view(p.id) for p in services.offered_prompts(couple)]


@router.get("/conversations", response=list[ConversationOut])
def list_conversations(request: HttpRequest) -> list[dict[str, Any]]:
    me = _me(request)
    couple = services.require_couple(me)
    return [_conv(c, me) for c in couple.conversations.prefetch_related("ratings").all()[:50]]


@router.post("/conversations", response={201: ConversationOut})
def create_conversation(request: HttpRequest, payload: ConversationIn) -> Status:
    me = _me(request)
    conv = services.start_conversation(me, payload.prompt_id)
    return Status(201, _conv(conv, me))


@router.get("/conversations/{conversation_id}", response=ConversationOut)
def get_conversation(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    me = _me(request)
    return _conv(services.conversation_for(me, conversation_id), me)


@router.post("/conversations/{conversation_id}/readiness", response=ConversationOut)
def readiness(request: HttpRequest, conversation_id: int, payload: ReadinessIn) -> dict[str, Any]:
    me = _me(request)
    conv = services.answer_readiness(me, services.conversation_for(me, conversation_id), payload.ready)
    return _conv(conv, me)


@router.post("/conversations/{conversation_id}/rating", response={201: RatingOut})
def rate(request: HttpRequest, conversation_id: int, payload: RatingIn) -> Status:
    me = _me(request)
    conv = services.conversation_for(me, conversation_id)
    result = services.rate_conversation(me, conv, **payload.dict())
    crisis = None
    if result.risk is not None and result.risk.show_card:
        crisis = {"show_card": True, "level": result.risk.level, "help_url": "/help/"}
    return Status(201, {"conversation_id": conv.pk, "saved": True, "crisis": crisis,
                        "show_crisis_help": crisis is not None})


@router.get("/conversations/{conversation_id}/reveal", response=RevealOut)
def reveal(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    me = _me(request)
    r = queries.reveal_for(me, services.conversation_for(me, conversation_id), via="api")
    return {"both_rated": r.both_rated, "rated_by_me": r.rated_by_me, "mine": r.mine, "my_share": r.my_share,
            "partner_shared": r.partner_shared, "theirs": r.theirs, "their_note": r.their_note, "phrases": r.phrases}


@router.get("/trend", response=TrendOut)
def trend(request: HttpRequest) -> dict[str, Any]:
    me = _me(request)
    services.require_couple(me)
    t = queries.trend_page(me, via="api")
    return {
        "weeks": [{"week_start": w.isoformat(), "talks": n} for w, n in t["weeks"]],
        "per_week": t["per_week"],
        "heard_accepted": [{"scale": c["scale"], "summary": c["sentence"]} for c in t["charts"]],
        "mood": [{"who": m["who"], **{k: v for k, v in m["result"].items()}} for m in t["moods"]],
    }


@router.get("/clients/{client_id}")
def client_summary(request: HttpRequest, client_id: int) -> dict[str, Any]:
    """For a therapist linked to the client with the couple-ratings scope; logged."""
    viewer = _me(request)
    client = User.objects.filter(pk=client_id, is_active=True).first()
    if client is None or client.pk == viewer.pk or not viewer.is_therapist:
        raise Http404
    access.read(viewer, client, "together_ratings", "together:client-detail", via="api")
    summary = queries.couple_summary_for(client, viewer, via="api")
    if summary is None:
        return {"couple": False}
    rows = [{**row, "date": row["date"].isoformat()} for row in summary["rows"]]
    return {"couple": True, **{k: v for k, v in summary.items() if k != "rows"}, "rows": rows}
