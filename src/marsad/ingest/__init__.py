"""Ingest: read files, folders, JSONL and stdin; detect encodings; extract HTML; clean; assign ids."""

from marsad.ingest.readers import IngestError, read_inputs

__all__ = ["IngestError", "read_inputs"]
