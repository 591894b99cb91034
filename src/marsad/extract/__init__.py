"""Extraction components: entities, roles, times, quantities, events, attribution, framing."""
