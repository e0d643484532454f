"""The workspace on disk: files, the journal, locks, reading the register."""
