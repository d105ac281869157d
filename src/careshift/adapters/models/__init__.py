"""Text models (embeddings) behind small interfaces; weights come from installed packages."""
