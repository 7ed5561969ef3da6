"""The language layer every stage shares: text clean-up, sentences, words and stems, and
spaCy's reading of names, numbers and dates.

It sits below ingest, retrieve, answer and evaluate and imports none of them.
"""
