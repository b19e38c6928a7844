"""Tests that open the built site in chromium and check it with axe and vnu."""
