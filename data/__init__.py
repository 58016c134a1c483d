"""Installed as ``dashboard.bundled_data``: this file only makes the folder a package (see dashboard/resources.py)."""
