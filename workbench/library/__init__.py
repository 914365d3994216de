"""The write side of the library: read files, clean, find metadata, chunk, store, keep uploads."""
