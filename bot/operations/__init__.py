"""What an operator runs the bot by: /healthz and Prometheus /metrics on METRICS_PORT, and the log format.

An adapter like storage and the platforms: the core counts through bot/ports/metrics.py and never imports this.
"""
