"""The real-text faithfulness set's generator, run by ``evals/build_realtext.py`` (which says what it makes).

It imports nothing from ``workbench``: its false claims come from jieba's tags, plain regexes and the
tables here, never from the checker's extractors.
"""
