"""Installed as ``dashboard.assets``: this file only makes the folder a package (see dashboard/resources.py)."""
