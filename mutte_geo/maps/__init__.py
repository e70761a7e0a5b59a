"""Rendering: classes and colours, legends, the web map and print layouts."""
