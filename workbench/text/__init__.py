"""Pure Chinese-report primitives (structure, tokens, lexicon); they import nothing else of workbench."""
