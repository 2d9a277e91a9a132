"""The counter's side of the central sync (shared/central/api.md): outbox drain, back-off, pulls.

Plain Python and httpx, no Qt: the windows show what ``status`` says, the worker runs the client.
"""
