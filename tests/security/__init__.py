"""Regression probes from outside security reviews: each attack, and what the service answers."""
