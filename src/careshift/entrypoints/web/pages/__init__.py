"""Server-rendered pages, one module per area, each exposing ``router``."""
