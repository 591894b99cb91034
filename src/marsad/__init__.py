"""marsad — Arabic news to source-linked political event data."""

__version__ = "0.1.0"
