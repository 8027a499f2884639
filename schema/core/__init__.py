"""The runtime every operation goes through: the view (HTTP and WebSocket), the one
pipeline, its limits and error contract, the request context, and the compat modules."""
