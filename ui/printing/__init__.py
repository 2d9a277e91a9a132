"""Showing and printing what printing/ produced: a PDF preview with print and save (forms 01–07)."""
