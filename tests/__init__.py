"""Tests for the Auto Home integration."""
