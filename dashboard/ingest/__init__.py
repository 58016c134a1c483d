"""Quarterly update documents (.txt, .docx, text-based .pdf) -> narrative, figures, glossary.

extract (file -> paragraphs) -> structure (title block, priorities, objectives, bullets)
-> facts / catalogue / tags (per sentence) -> document (tables) -> write (CSV, atomically).
"""
