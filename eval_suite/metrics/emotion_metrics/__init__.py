"""The ``evaluate`` module folder; load it with ``evaluate.load(eval_suite.metrics.EMOTION_METRICS_PATH)``."""
