"""The domain: units, boundaries, catalogue, indicator values, the 2024→2025 crosswalk and reform, the Atlas."""
