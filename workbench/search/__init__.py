"""Finding passages: the BM25 keyword index (a cache rebuilt from the store), rank fusion, hybrid search."""
