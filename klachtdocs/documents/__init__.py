"""Rendering Word templates into documents, in worker processes when there is much."""
