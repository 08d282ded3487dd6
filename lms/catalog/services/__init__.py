"""Catalogue actions: authoring, publishing, licensing, uploads."""
