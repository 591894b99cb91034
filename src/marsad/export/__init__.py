"""Exports for the field's tools: PLOVER JSONL, GDELT TSV, CSV, GraphML, Parquet."""
