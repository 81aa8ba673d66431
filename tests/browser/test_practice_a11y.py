"""Practice pages have no serious or critical axe-core findings and no sideways scrolling on a phone."""

import pytest

from tests.browser.conftest import axe_violations, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_practice_pages_pass_axe(page, live_server):
    from conftest import make_user
    from nearer.practice import services

    sam = make_user("sam.axe@example.test", name="Sam")
    step, _ = services.add_step(sam, suggestion_id="one-worry")
    exp, _ = services.plan_experiment(sam, step=step, fear="Alex sighs", belief_before=70, expected_anxiety=50)
    services.record_outcome(sam, exp, what_happened="Fine", outcome="no", belief_after=30)
    rec, _ = services.start_record(sam, kind="late_reply", what_happened="No reply")
    services.answer_record_step(sam, rec, "first_reading", {"first_reading_id": "dont_care"})
    signed_in(page, sam, live_server.url)
    for path in ["/practice/", "/practice/ladder/", "/practice/worksheet/", f"/practice/present-or-past/{rec.pk}/",
                 "/practice/present-or-past/patterns/"]:
        page.goto(live_server.url + path)
        found = axe_violations(page)
        assert not found, (path, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found])
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{path} scrolls sideways on a phone"
