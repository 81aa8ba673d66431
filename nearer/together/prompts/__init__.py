"""Data files for couple conversations (a package only so the JSON ships with the wheel)."""
