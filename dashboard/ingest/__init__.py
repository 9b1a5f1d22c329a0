"""Importers: parse published and partner files, validate them, and write them to the store."""
