"""``python -m claimlint.spark INPUT OUTPUT``, or ``spark-submit .../claimlint/spark/__main__.py
INPUT OUTPUT`` (absolute imports: spark-submit runs this file as a script)."""
from claimlint.spark.cli import run

if __name__ == "__main__":
    run()
