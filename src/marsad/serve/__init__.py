"""The web workbench and HTTP API."""
