"""Adapters around the core: database, files (ESCO CSV, YAML, XLSX), text models, Dask."""
