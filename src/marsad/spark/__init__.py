"""marsad on Apache Spark: the same pipeline, run per partition (``pip install 'marsad[spark]'``).

:func:`marsad.spark.runner.extract` is what ``marsad extract --engine spark`` and
``scripts/spark_extract.py`` (for ``spark-submit``) call.  Importing this package does not import
pyspark; the runner does.
"""

from __future__ import annotations

__all__ = ["extract"]


def extract(*args, **kwargs):  # type: ignore[no-untyped-def]
    """Lazy alias of :func:`marsad.spark.runner.extract` (keeps pyspark out of plain imports)."""
    from marsad.spark.runner import extract as _extract

    return _extract(*args, **kwargs)
