"""The regulation's rules: pure functions of their arguments (no files, processes or clocks)."""
