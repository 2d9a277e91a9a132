"""The ``counter-app`` command: parse, call a service, print (Vietnamese; ``--json`` for scripts)."""
