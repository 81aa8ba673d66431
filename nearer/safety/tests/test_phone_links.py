"""``phone_links``: numbers in a person's own words become tap-to-call links, and nothing else in the
text can become markup (the filter escapes first, and a matched number holds only digits, spaces,
brackets, dots, dashes and a leading +)."""

from __future__ import annotations

from nearer.safety.templatetags.phone_links import phone_links


def test_numbers_become_tel_links_and_small_counts_do_not():
    out = phone_links("Call Mum on (404) 555-0134, or 988; I slept 7 hours in 2024.")
    assert '<a class="tel" href="tel:4045550134">(404) 555-0134</a>' in out
    assert '<a class="tel" href="tel:988">988</a>' in out
    assert "tel:7" not in out and "tel:2024" not in out


def test_markup_in_the_text_is_escaped_not_executed():
    out = phone_links('<script>alert(1)</script><a href="javascript:x">555 123 4567</a>')
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert 'href="javascript:' not in out
    assert '<a class="tel" href="tel:5551234567">555 123 4567</a>' in out


def test_an_escaped_quote_next_to_a_number_stays_an_entity():
    out = phone_links("'5551234567'")
    assert out.startswith("&#x27;") and out.endswith("&#x27;")
    assert 'href="tel:5551234567"' in out
