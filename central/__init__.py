"""The reference central one-stop backend (FastAPI), separate from the counter software (issue 8)."""
