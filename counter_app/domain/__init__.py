"""Plain types and pure rules. Nothing here does I/O: no database, no Qt, no serial, no HTTP."""
