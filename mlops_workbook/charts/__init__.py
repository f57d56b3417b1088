"""Altair charts (radar, level, crosswalk, heatmaps) and their export to SVG/PNG. Depends on model and scoring.
"""
