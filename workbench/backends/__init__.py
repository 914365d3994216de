"""Swappable engines behind tiny interfaces, chosen by a settings string."""
