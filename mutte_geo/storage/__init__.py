"""Keeping the data: the value store, file import, the import/edit workflow, accounts."""
