"""The files evaluation writes, one module per part (each a subclass of ``core.exporters``' bases)."""
