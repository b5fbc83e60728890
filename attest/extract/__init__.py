"""Extraction: clean report text in, proposals with text spans out.

    from attest.extract import extract, extract_many, Extraction
    ex = extract(clean_text)
    ex.to_interchange()   # the CONVENTIONS.md JSON shape (no boilerplate_lines)
    ex.proposals()        # attest.model.proposal.Proposal, one per item
"""

from attest.extract.extraction import Extraction
from attest.extract.pipeline import extract, extract_doc, extract_many

__all__ = ["Extraction", "extract", "extract_doc", "extract_many"]
