"""Test support: real throw-away databases, builders."""
