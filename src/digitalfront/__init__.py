"""Mặt trận số (Digital Front)."""

__version__ = "0.1.0"
