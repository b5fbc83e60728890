"""extract() and extract_many(): clean text in, Extraction out.

One parse per document: every rule reads the same spaCy Doc, so the cost of
the rules stays a fraction of the model's. ``extract_many`` streams texts
through ``nlp.pipe``; with ``n_process > 1`` each worker process parses *and*
applies the rules to its share, so neither step serialises on the parent.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc

from attest.extract import places
from attest.extract.amounts import find_amounts
from attest.extract.attribution import find_claims
from attest.extract.entities import Entity, Mention, find_mentions, group_mentions
from attest.extract.extraction import Extraction
from attest.extract.groups import Group
from attest.extract.incidents import find_incidents
from attest.extract.nlp import get_nlp, text_of
from attest.extract.roles import assign_roles


def extract_doc(doc: Doc) -> Extraction:
    """Apply every rule to one parsed document."""
    mentions = find_mentions(doc)
    entities = group_mentions(mentions)
    claims = find_claims(doc, mentions)
    amounts = find_amounts(text_of(doc))
    found = find_incidents(doc, mentions, amounts)
    persons = [e for e in entities if e.kind == "person"]
    assign_roles(doc, persons, found.incidents, claims)
    groups = [_group_entity(g) for g in found.groups]
    return Extraction(
        text_of(doc),
        persons=persons,
        organizations=[e for e in entities if e.kind == "organization"],
        places=[e for e in entities if e.kind == "place"],
        facilities=found.facilities,
        groups=groups,
        claims=claims,
        incidents=found.incidents,
        amounts=amounts,
    )


def _group_entity(g: Group) -> Entity:
    """An unnamed victim group as an entity, for its 'group' proposal."""
    e = Entity("group", g.label, info={"count": g.count, "place": g.place})
    e.mentions = [Mention("group", g.label, g.start, g.end, 0, 0)]
    return e


def extract(clean_text: str) -> Extraction:
    """Extract one document's entities, claims, incidents and amounts."""
    return extract_doc(get_nlp()(clean_text))


def _extract_chunk_impl(texts: Sequence[str], batch_size: int) -> list[Extraction]:
    return [extract_doc(doc) for doc in get_nlp().pipe(texts, batch_size=batch_size)]


def _extract_chunk(texts: Sequence[str], batch_size: int) -> list[Extraction]:
    """One worker's share (a module-level name, so the pool can pickle it)."""
    return _extract_chunk_impl(texts, batch_size)


def extract_many(texts: Iterable[str], n_process: int = 1,
                 batch_size: int = 32) -> list[Extraction]:
    """Extract many documents; results are in input order."""
    texts = list(texts)
    if n_process <= 1 or len(texts) < 2 * batch_size:
        return _extract_chunk(texts, batch_size)
    get_nlp()
    places.warm()  # build once here: forked workers inherit it
    chunks = [texts[i:i + batch_size] for i in range(0, len(texts), batch_size)]
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ctx.Pool(n_process) as pool:
        # chunksize=1 deals chunks out one at a time, so both workers get work
        parts = pool.starmap(_extract_chunk, [(c, batch_size) for c in chunks], chunksize=1)
    return [ex for part in parts for ex in part]
