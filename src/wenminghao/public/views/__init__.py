"""The views of the public face, one module per part."""
