"""Incident triggers that are phrases, not single words.

Reports often name an act without a violation verb: a verdict is "found X
guilty", a disappearance is "has not been heard from since" or "nothing is
known of X", surveillance is "placed under surveillance", the removal of a
mosque's domes is destruction. Each rule here reads the parse around one
token and returns the incident type with the noun heads of its victims, or
None; ``incidents.py`` treats the result like a trigger word's.
"""

from __future__ import annotations

from spacy.tokens import Token

from attest.extract import vocab

_WH = {"where", "which", "whether", "what"}
_OBJ = ("dobj", "nsubjpass")


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in tok.children)


def found_guilty(tok: Token) -> tuple[str, list[Token]] | None:
    """"the court found X guilty", "X was found guilty" -> a trial of X."""
    if tok.lemma_.lower() != "find" or tok.pos_ != "VERB":
        return None
    for c in tok.children:
        guilty = c if c.lower_ == "guilty" else next(
            (g for g in c.children if g.lower_ == "guilty"), None)
        if guilty is None:
            continue
        heads = _children(tok, *_OBJ)
        if not heads and c.dep_ in ("ccomp", "xcomp", "oprd"):
            heads = _children(c, "nsubj", "nsubjpass")
        return "trial", heads
    return None


def not_heard_from(tok: Token) -> tuple[str, list[Token]] | None:
    """"X has not been heard from / seen since ..." -> enforced disappearance."""
    if tok.lemma_.lower() not in ("hear", "see") or not _negated(tok):
        return None
    subj = _children(tok, "nsubjpass")
    if not subj and tok.lemma_.lower() == "hear":  # "she has not heard from them since"
        subj = [o for p in _children(tok, "prep") if p.lower_ == "from" for o in _children(p, "pobj")]
    if not subj:
        return None
    return "enforced_disappearance", subj


def nothing_known(tok: Token) -> tuple[str, list[Token]] | None:
    """"nothing is known of X"; "the family does not know where he is held"."""
    if tok.lemma_.lower() != "know" or tok.pos_ != "VERB":
        return None
    if any(c.lower_ in ("nothing", "little") for c in _children(tok, "nsubjpass", "nsubj")):
        for prep in _children(tok, "prep"):
            if prep.lower_ in ("of", "about"):
                return "enforced_disappearance", _children(prep, "pobj")
        return None
    if not _negated(tok):
        return None
    for clause in _children(tok, "ccomp", "xcomp"):
        wh = [t for t in clause.subtree if t.lower_ in _WH and t.i < clause.i]
        if wh:
            return "enforced_disappearance", _children(clause, "nsubj", "nsubjpass")
    return None


_WHERE = {"where", "which"}


def where_withheld(tok: Token) -> tuple[str, list[Token]] | None:
    """"the family was not told where she is held", "officials would not say which
    prison he is in", "given no word of where he was held": whereabouts withheld."""
    lemma = tok.lemma_.lower()
    if lemma not in vocab.words("violations", "withhold_verbs"):
        return None
    if lemma == "word":  # "no word of where ..."
        if not any(c.lower_ == "no" for c in tok.children):
            return None
        clauses = [o for p in _children(tok, "prep") for o in _children(p, "pcomp", "pobj")]
    else:
        if tok.pos_ != "VERB" or not _negated(tok):
            return None
        clauses = _children(tok, "ccomp", "xcomp", "dobj")
    for clause in clauses:
        wh = [t for t in clause.subtree if t.lower_ in _WHERE and t.i <= clause.i]
        if wh:
            subj = _children(clause, "nsubj", "nsubjpass")
            if subj and (subj[0].pos_ == "PRON" or any(t.ent_type_ == "PERSON" for t in subj)):
                return "enforced_disappearance", subj
    return None


def placed_under(tok: Token) -> tuple[str, list[Token]] | None:
    """"was placed under surveillance / house arrest" -> victims of the verb."""
    if tok.dep_ != "pobj" or tok.head.lower_ not in ("under", "into"):
        return None
    types = vocab.load("violations").get("under_nouns", {})
    typ = types.get(tok.lemma_.lower())
    verb = tok.head.head
    if typ is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    return typ, _children(verb, *_OBJ) or _children(verb, "nsubj")


def property_removed(tok: Token) -> tuple[str, list[Token]] | None:
    """"workers removed the domes of a mosque", "crosses were taken down"."""
    lemma = tok.lemma_.lower()
    if tok.pos_ != "VERB" or lemma not in vocab.words("violations", "removal_verbs"):
        return None
    if lemma == "take" and not any(c.lower_ == "down" for c in tok.children):
        return None
    parts = vocab.words("violations", "building_parts")
    objs = _children(tok, *_OBJ)
    if not objs and tok.dep_ in ("acl", "ccomp", "xcomp"):  # "had domes removed"
        objs = [tok.head] if tok.dep_ == "acl" else _children(tok, "nsubj")
    if not any(o.lemma_.lower() in parts for o in objs):
        return None
    owners = [p for o in objs for prep in _children(o, "prep") if prep.lower_ == "of"
              for p in _children(prep, "pobj")]
    return "destruction_of_property", owners


def made_to_work(tok: Token) -> tuple[str, list[Token]] | None:
    """"was assigned to work at a factory", "were made to work" -> forced labour."""
    if tok.lemma_.lower() not in vocab.words("violations", "labour_verbs") or tok.pos_ != "VERB":
        return None
    work = vocab.words("violations", "labour_words")
    if not any(c.dep_ in ("xcomp", "advcl", "ccomp") and c.lemma_.lower() in work
               for c in tok.children):
        return None
    heads = _children(tok, "nsubjpass") or (
        _children(tok.head, "nsubjpass") if tok.dep_ == "conj" else [])
    return ("forced_labour", heads) if heads else None


_TERM_WORDS = {"prison", "jail", "year", "month", "life", "custodial", "labour", "labor"}
_GIVING = {"hand", "give", "impose", "mete", "deliver", "issue", "receive", "get"}


def given_sentence(tok: Token) -> tuple[str, list[Token]] | None:
    """"was handed an 11-year prison term", "received a two-year sentence" -> a trial.
    A bare "term" needs a word of length or prison ("a term of office" is not one)."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in vocab.words("violations", "sentence_nouns"):
        return None
    verb = tok.head
    if tok.dep_ not in _OBJ or verb.pos_ != "VERB" or verb.lemma_.lower() not in _GIVING:
        return None
    if tok.lemma_.lower() == "term" and not any(
            t.lemma_.lower() in _TERM_WORDS for t in tok.subtree if t.i != tok.i):
        return None
    if verb.lemma_.lower() in ("receive", "get"):
        return "trial", _children(verb, "nsubj")
    heads = [c for c in verb.children if c.dep_ in ("nsubjpass", "dative") and c.i != tok.i]
    heads += [o for p in _children(verb, "prep") if p.lower_ in ("on", "to") for o in _children(p, "pobj")]
    return ("trial", heads) if heads else None


RULES = (found_guilty, made_to_work, not_heard_from, nothing_known, where_withheld, placed_under,
         property_removed, given_sentence)


def phrase_trigger(tok: Token) -> tuple[str, list[Token]] | None:
    """The first phrase rule that fires on ``tok``."""
    for rule in RULES:
        found = rule(tok)
        if found is not None:
            return found
    return None
