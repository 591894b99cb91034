"""Storage: the embedded SQLite store of documents, records and (later) corpus knowledge."""

from marsad.store.sqlite import DEFAULT_DB, BatchResult, Store, StoreError

__all__ = ["DEFAULT_DB", "BatchResult", "Store", "StoreError"]
