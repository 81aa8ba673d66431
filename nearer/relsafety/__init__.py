"""Relationship safety: a private, brief screen for a partner who hurts, threatens or controls,
support resources, and a pause of couple features. The partner never learns that any of it exists."""
