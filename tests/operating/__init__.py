"""Operating the service: metrics, logs, traces and progress, as an operator sees them."""
