"""The bank of the book's exercises: one module per chapter, ``<chapter_slug>.py``.

Every module in this folder whose name does not start with an underscore is
imported by :mod:`nnbook.exercises.registry` on first use. See ``AUTHORING.md``.
"""
