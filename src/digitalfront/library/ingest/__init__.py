"""Turning uploaded documents into clean text (``readers``) and that text into citable parts (``structure``).

Pure Python, no models: the library's services call these, store the result and index it.
"""
