"""The ticket kiosk window: take a number, look up a dossier, read about procedures, by touch."""
