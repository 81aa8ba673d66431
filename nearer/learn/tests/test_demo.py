from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from nearer.demo import DemoWorld
from nearer.learn import demo
from nearer.learn.models import ReadMark, Reflection

pytestmark = pytest.mark.django_db


def test_demo_sam_read_three_and_shared_one(world, client_as) -> None:
    dw = DemoWorld(sam=world.owner, alex=world.partner, rivera=world.therapist, clinic_admin=world.clinic_admin,
                   clinic=world.clinic, now=timezone.now())
    demo.populate(dw)
    assert sorted(ReadMark.objects.filter(person=world.owner).values_list("slug", flat=True)) == sorted(
        s for s, _days in demo.READ)
    shared = Reflection.objects.filter(person=world.owner, shared=True)
    assert shared.count() == 1
    assert Reflection.objects.filter(person=world.owner, shared=False).count() == 1
    page = client_as("therapist").get(reverse("learn:client-reflections", kwargs={"client_id": world.owner.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert "I recognise the loop." in body
    assert demo.PRIVATE_TEXT not in body
