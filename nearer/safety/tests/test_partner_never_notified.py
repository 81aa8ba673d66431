"""Property test: over generated links and scopes, no alert or email ever goes to a partner."""

from __future__ import annotations

import pytest
from django.core import mail
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nearer.privacy.scopes import SCOPES
from nearer.safety.models import Alert
from nearer.safety.services import check_text_and_respond, escalate_overdue_alerts, raise_risk, record_choice

ALL_SCOPES = sorted(SCOPES)
LINK_SPEC = st.tuples(
    st.sampled_from(["partner", "therapist"]),  # kind of link from the person
    st.sampled_from(["person", "therapist"]),  # role of the viewer (a partner link to a therapist account too)
    st.lists(st.sampled_from(ALL_SCOPES), unique=True),
    st.booleans(),  # revoked
)
SIGNAL = st.tuples(
    st.sampled_from(["raise_concern", "raise_urgent", "text_urgent", "text_concern", "need_help", "not_safe"]),
    st.sampled_from(["diary.checkin", "measures.phq9", "safety.not_safe", "practice.record"]),
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(links=st.lists(LINK_SPEC, min_size=1, max_size=4), signals=st.lists(SIGNAL, min_size=1, max_size=4))
def test_partner_is_never_notified(links, signals, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from conftest import make_user
    from nearer.accounts.models import Clinic, Link

    Alert.objects.all().delete()
    Link.objects.all().delete()
    mail.outbox.clear()
    from nearer.accounts.models import User

    User.objects.all().delete()
    clinic = Clinic.objects.create(name="C", on_call_email="oncall@c.test")
    person = make_user("p@x.test", name="P")
    partner_emails: set[str] = set()
    therapist_emails: set[str] = set()
    for i, (kind, role, scopes, revoked) in enumerate(links):
        viewer = make_user(f"v{i}@x.test", role=role, clinic=clinic)
        Link.objects.create(owner=person, viewer=viewer, kind=kind, scopes=scopes,
                            revoked_at=timezone.now() if revoked else None)
        if kind == "partner":
            partner_emails.add(viewer.email)
            # Partners link back too.
            Link.objects.create(owner=viewer, viewer=person, kind="partner", scopes=scopes)
        elif role == "therapist" and not revoked:
            therapist_emails.add(viewer.email)
    with django_capture_on_commit_callbacks(execute=True):
        for what, source in signals:
            if what == "raise_concern":
                raise_risk(person, source, "concern")
            elif what == "raise_urgent":
                raise_risk(person, source, "urgent")
            elif what == "text_urgent":
                check_text_and_respond(person, source, "I'm going to end my life tonight")
            elif what == "text_concern":
                check_text_and_respond(person, source, "I wish I was dead")
            elif what == "need_help":
                out = raise_risk(person, source, "concern")
                record_choice(person, out.event, "need_help")
            else:
                raise_risk(person, "safety.not_safe", "urgent")
    escalate_overdue_alerts(timezone.now() + timezone.timedelta(days=2))
    recipients = {addr for m in mail.outbox for addr in (*m.to, *m.cc, *m.bcc)}
    assert not recipients & partner_emails - therapist_emails
    alerted = set(Alert.objects.values_list("therapist__email", flat=True))
    assert not alerted & partner_emails
    assert alerted == therapist_emails - partner_emails
    assert recipients <= therapist_emails | {"oncall@c.test"}
