"""Adapters: the service's connections to the outside world (result cache backends)."""
