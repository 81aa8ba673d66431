"""Data files for practice tools (a package only so the JSON ships with the wheel)."""
