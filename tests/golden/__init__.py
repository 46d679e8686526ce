"""Golden outputs of ``il1rn-annot annotate`` (see README.md here): the cases, the normalisation shared by
``record.py`` and ``tests/test_golden.py``, and the stored files under ``<case>/``."""
