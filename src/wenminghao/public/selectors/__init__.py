"""The selectors of the public face, one module per part."""
