"""Benchmarks and quality checks of the engine (development tools; they read ../shared/data)."""
