"""Use cases, one transaction each: permission check, rules, the change, its audit row and events."""
