"""spark-submit entry point: ``marsad extract --engine spark INPUT OUTPUT [options]``.

spark-submit runs a Python file, not a console script, so this file only hands its arguments to
the same CLI function (see bench/README.md for the cluster recipe)::

    spark-submit --master yarn --archives marsad-env.tar.gz#env \\
        --conf spark.yarn.appMasterEnv.PYSPARK_PYTHON=./env/bin/python \\
        scripts/spark_extract.py hdfs:///news/2024.jsonl hdfs:///marsad/2024 --format parquet
"""

from __future__ import annotations

import sys

from marsad.cli import app

if __name__ == "__main__":
    app(["extract", "--engine", "spark", *sys.argv[1:]], prog_name="marsad")
