"""The counter officer's window: queue, intake, return and search, keyboard first."""
