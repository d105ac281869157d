"""Numeric core: numpy/scipy in, numpy out. No database, no web, no files."""
