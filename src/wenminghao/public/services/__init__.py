"""The services of the public face, one module per part."""
