"""Readers of files: JSONL, CSV and the platforms' own exports."""
