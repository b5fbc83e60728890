"""Attributed statements: who said what, through which channel.

Rules over spaCy's dependency parse, with the cue words in ``data/cues.yaml``:

- a cue verb with a subject is a claim; its content is, in this order, the
  quotation that opens right after it (``X said: "..."``), the quotation that
  closes right before its clause (``"...," X said``), its clausal complement
  (``X said that ...``), the clause it interrupts (``..., X said, ...``), or -
  for publishing verbs - its object (``Time reported demonstrations``);
- "according to X" attributes the clause it modifies to X;
- "reportedly" attributes its clause to nobody in particular;
- a paragraph that opens with a quotation and names no speaker continues a
  quote: its speaker is the one named at the end of the next paragraph (when
  the quote is left open) or the previous claim's;
- a claim whose cue lies inside another claim's content is nested: its
  channel (``via``) is the outer claim's channel or speaker.

Speakers are resolved to entities where the text allows: a name inside the
subject, a pronoun or "the ministry" (the last organisation), "the report"
(the organisation that spoke last, through its report).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from attest.extract import cases, vocab
from attest.extract.entities import Mention
from attest.extract.nlp import sentence_of, text_of
from attest.extract.quotes import MARKS, Quote, find_quotes, paragraphs

_EDGE_PUNCT = set(MARKS) | set(",;:-—–'`")
_MARKERS = {"that", "whether", "if"}
_CLAUSE_DEPS = {"appos", "relcl", "acl", "parataxis", "advcl"}


@dataclass
class Claim:
    """One attributed statement; start/end delimit its content in the clean text."""

    speaker: str | None
    via: str | None
    cue: str
    start: int
    end: int
    cue_start: int
    cue_end: int
    kind: str = "indirect"  # direct (quoted), indirect, continued (speaker carried over)
    cue_kind: str = "speech"
    speaker_kind: str | None = None  # person, organization, group, report, or None
    parent: int | None = None
    confidence: float = 0.7
    why: str = ""

    def quote_start(self, text: str, words: int = 12) -> str:
        """The first words of the content, as the interchange wants them."""
        return " ".join(text[self.start:self.end].split()[:words])


@dataclass
class _State:
    """What the attribution pass remembers while walking the document."""

    doc: Doc
    mentions: list[Mention]
    starts: list[int]
    tok_mention: dict[int, Mention]
    last_org_speaker: str | None = None
    last_speaker: str | None = None
    last_speaker_kind: str | None = None
    last_person_speaker: str | None = None
    last_speaker_at: int = -1
    para_starts: list[int] = field(default_factory=list)

    def para_start(self, pos: int) -> int:
        i = bisect.bisect_right(self.para_starts, pos) - 1
        return self.para_starts[i] if i >= 0 else 0

    def last_mention(self, kind: str, before: int) -> Mention | None:
        i = bisect.bisect_left(self.starts, before)
        for m in reversed(self.mentions[:i]):
            if m.kind == kind:
                return m
        return None


def find_claims(doc: Doc, mentions: list[Mention]) -> list[Claim]:
    """Every attributed statement of ``doc``, in text order of their cues."""
    text = text_of(doc)
    paras = paragraphs(text)
    quotes = find_quotes(text, paras)
    tok_mention = {i: m for m in mentions for i in range(m.tok_start, m.tok_end)}
    state = _State(doc, mentions, [m.start for m in mentions], tok_mention,
                   para_starts=[a for a, _ in paras])
    cues = vocab.cue_verbs()
    adverbs = vocab.load("cues")["adverbs"]
    by_open = {q.start - 1: q for q in quotes}
    by_close = {q.end: q for q in quotes if q.closed}

    claims: list[Claim] = []
    for tok in doc:
        claim = None
        lemma = tok.lemma_.lower()
        if lemma in cues and tok.pos_ in ("VERB", "AUX"):
            claim = _verb_claim(tok, cues[lemma], state, by_open, by_close)
        elif tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            claim = _according_claim(tok, state)
        elif tok.lower_ in adverbs and tok.dep_ == "advmod":
            claim = _adverb_claim(tok, adverbs[tok.lower_]["kind"])
        if claim is None or claim.end - claim.start < 3:
            continue
        if any(c.start == claim.start for c in claims):
            continue
        claims.append(claim)
        if claim.speaker:
            state.last_speaker, state.last_speaker_kind = claim.speaker, claim.speaker_kind
            if claim.speaker_kind == "person":
                state.last_person_speaker, state.last_speaker_at = claim.speaker, claim.cue_start
            if claim.speaker_kind == "organization":
                state.last_org_speaker = claim.speaker
    _nest(claims)
    claims = _continued_quotes(claims, quotes, paras, text)
    claims.sort(key=lambda c: c.start)
    _nest(claims)
    teller = cases.narrator(doc, mentions)
    for c in claims:  # "I believe" in a testimony is its teller's
        if c.speaker_kind == "self" and c.speaker is None and teller:
            c.speaker, c.speaker_kind = teller, "person"
    return claims


# --- content -------------------------------------------------------------


def _trim(doc: Doc, lo: int, hi: int) -> tuple[int, int] | None:
    """Token range [lo, hi] without edge punctuation and a leading 'that'."""
    while lo <= hi and (doc[lo].text in _EDGE_PUNCT or doc[lo].is_space
                        or (doc[lo].lower_ in _MARKERS and doc[lo].dep_ == "mark")):
        lo += 1
    while hi >= lo and (doc[hi].text in _EDGE_PUNCT or doc[hi].is_space):
        hi -= 1
    if hi < lo:
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _strip_chars(text: str, start: int, end: int) -> tuple[int, int]:
    """A character span without surrounding blanks and trailing ',;:'."""
    while end > start and text[end - 1] in " \t,;:":
        end -= 1
    while start < end and text[start] in " \t":
        start += 1
    return start, end


def _clause_left(tok: Token, speaker: Token | None) -> int:
    """Leftmost token of the attribution clause (speaker and cue)."""
    left = tok.i
    if speaker is not None:
        left = min(left, speaker.left_edge.i)
    return left


def _quote_after(tok: Token, by_open: dict[int, Quote]) -> Quote | None:
    """The quotation opening right after the cue (skipping ':' and 'in a statement')."""
    doc = tok.doc
    j = tok.i + 1
    while j < len(doc) and j <= tok.i + 8:
        t = doc[j]
        if t.idx in by_open:
            return by_open[t.idx]
        if t.text in (",", ":") or t.is_space:
            j += 1
            continue
        if t.head.i == tok.i and t.dep_ in ("prep", "dative", "dobj", "advmod", "npadvmod"):
            j = t.right_edge.i + 1
            continue
        return None
    return None


def _quote_before(tok: Token, speaker: Token | None, by_close: dict[int, Quote]) -> Quote | None:
    """The quotation that closes right before the attribution clause and opens
    the sentence: '"...," the report said'. A quote inside the sentence
    ("held at 'training centers,' the ministry said") does not count."""
    doc, text = tok.doc, text_of(tok.doc)
    left = doc[_clause_left(tok, speaker)]
    i = left.idx - 1
    while i >= 0 and text[i] in " ,\t":
        i -= 1
    q = by_close.get(i)
    if q is None:
        return None
    sent_start = sentence_of(left).start_char
    if q.start - 1 < sent_start or not text[sent_start:q.start - 1].strip():
        return q
    return None


def _content(tok: Token, cue: vocab.Cue, speaker: Token | None,
             by_open: dict[int, Quote], by_close: dict[int, Quote]
             ) -> tuple[tuple[int, int] | None, str]:
    doc = tok.doc
    q = _quote_after(tok, by_open) or _quote_before(tok, speaker, by_close)
    if q is not None:
        return _strip_chars(text_of(doc), q.start, q.end), "direct"
    head = tok.head
    if tok.dep_ == "parataxis" and head.i < tok.i and head.pos_ in ("VERB", "AUX"):
        # "The Kazakhs were held at camps, the ministry said, where ..."
        return _trim(doc, head.left_edge.i, _clause_left(tok, speaker) - 1), "indirect"
    comps = [c for c in tok.children if c.dep_ == "ccomp"]
    if comps:
        c = comps[-1] if comps[-1].i > tok.i else comps[0]
        return _trim(doc, c.left_edge.i, c.right_edge.i), "indirect"
    if tok.dep_ == "ccomp" and head.i < tok.i and head.pos_ in ("VERB", "AUX"):
        return _trim(doc, head.left_edge.i, _clause_left(tok, speaker) - 1), "indirect"
    if cue.object:
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        if objs:
            return _trim(doc, objs[0].left_edge.i, objs[0].right_edge.i), "indirect"
    return None, ""


# --- speakers and channels -----------------------------------------------


def _span_text(doc: Doc, lo: int, hi: int) -> str:
    while lo <= hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi >= lo and (doc[hi].is_punct or doc[hi].is_space):
        hi -= 1
    return doc[lo:hi + 1].text if hi >= lo else ""


def _np_text(head: Token) -> str:
    """A noun phrase without its appositions and relative clauses."""
    cut = set()
    for c in head.children:
        if c.dep_ in _CLAUSE_DEPS:
            cut.update(range(c.left_edge.i, c.right_edge.i + 1))
    lo = head.left_edge.i
    hi = lo
    while hi + 1 <= head.right_edge.i and hi + 1 not in cut:
        hi += 1
    return _span_text(head.doc, lo, hi)


def _mention_in(tok: Token, state: _State, kinds: tuple[str, ...]) -> Mention | None:
    for t in tok.subtree:
        m = state.tok_mention.get(t.i)
        if m is not None and m.kind in kinds and m.entity is not None:
            return m
    return None


def _entity_name(m: Mention) -> str:
    return m.entity.name if m.entity is not None else m.text


def _speaker(tok: Token, state: _State) -> tuple[str | None, str | None, str | None]:
    """(speaker, kind, via) for the subject token of a cue."""
    words = vocab.load("cues")
    m = state.tok_mention.get(tok.i)
    if m is not None and m.kind in ("person", "organization"):
        return _entity_name(m), m.kind, None
    named = _named_apposition(tok, state)
    if named is not None:  # "their lawyer, Aizhan Bekova, said"
        return _entity_name(named), named.kind, None
    low = tok.lower_
    if tok.pos_ == "PRON":
        if low in ("he", "she", "him", "her"):
            return _he_or_she(tok, state)
        if low == "it":
            o = state.last_mention("organization", tok.idx)
            return (_entity_name(o), "organization", None) if o else (None, None, None)
        if low == "they":
            return state.last_speaker, state.last_speaker_kind, None
        if low in ("i", "we"):  # the quoted speaker, when nested (see _nest)
            return None, "self", None
        return None, None, None
    lemma = tok.lemma_.lower()
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "its", "their")
                   for c in tok.children)
    if lemma in words["report_nouns"]:
        owner = _mention_in(tok, state, ("organization",))
        name = _entity_name(owner) if owner else None
        if name is None and definite:
            name = state.last_org_speaker
            if name is None:
                o = state.last_mention("organization", tok.idx)
                name = _entity_name(o) if o else None
        if name:
            return name, "organization", f"{name} {lemma}"
        return _np_text(tok), "report", None
    modified = any(c.dep_ in ("amod", "compound", "nmod", "poss") for c in tok.children)
    if lemma in words["organization_nouns"] and definite and not modified:
        o = state.last_mention("organization", tok.idx)
        if o is not None:
            return _entity_name(o), "organization", None
    m = _mention_in(tok, state, ("person",))
    if m is not None and tok.dep_ != "compound" and m.tok_end - 1 == tok.i:
        return _entity_name(m), "person", None
    text = _np_text(tok)
    if not text:
        return None, None, None
    return text, ("group" if tok.tag_ in ("NNS", "NNPS") else "other"), None


def _named_apposition(tok: Token, state: _State) -> Mention | None:
    """The person named beside a descriptive subject: "his wife, Luo Min", "his
    brother Asylbek", "one of them, a woman named Dawa Lhamo"."""
    if tok.pos_ not in ("NOUN", "NUM", "PRON") or tok.lower_ in ("he", "she", "they", "it"):
        return None
    nxt = state.tok_mention.get(tok.i + 1)
    if nxt is not None and nxt.kind == "person" and nxt.entity is not None:
        return nxt
    for c in tok.children:
        if c.dep_ == "appos":
            m = _mention_in(c, state, ("person",))
            if m is not None:
                return m
    return None


def _he_or_she(tok: Token, state: _State) -> tuple[str | None, str | None, str | None]:
    """"he said": the person who spoke last in this paragraph, else the person the
    previous sentence is about, else the last person named."""
    doc = tok.doc
    sent = sentence_of(tok)
    para_start = state.para_start(tok.idx)
    if state.last_person_speaker and state.last_speaker_at >= para_start:
        return state.last_person_speaker, "person", None
    if sent.start > 0:
        prev = sentence_of(doc[sent.start - 1])
        if prev.start_char >= para_start:
            for t in prev:
                m = state.tok_mention.get(t.i)
                if (t.dep_ in ("nsubj", "nsubjpass") and m is not None and m.kind == "person"
                        and m.entity is not None):
                    return _entity_name(m), "person", None
    p = state.last_mention("person", tok.idx)
    return (_entity_name(p), "person", None) if p else (None, None, None)


def _via(tok: Token, cue: vocab.Cue, state: _State) -> str | None:
    """The channel of a cue: 'said in Time', 'wrote in a commentary ...', 'told Reuters'."""
    channels = vocab.words("cues", "channel_nouns")
    preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "on", "to",
                                                                           "through", "via")]
    for prep in preps:
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            m = _mention_in(obj, state, ("organization",))
            if m is not None and state.tok_mention.get(obj.i) is m:
                return _entity_name(m)
            if obj.lemma_.lower() in channels:
                lo = obj.left_edge.i
                while obj.doc[lo].dep_ in ("det", "poss") and lo < obj.i:
                    lo += 1
                return _span_text(obj.doc, lo, obj.right_edge.i)
    if cue.via_object:
        for c in tok.children:
            if c.dep_ in ("dative", "dobj"):
                m = state.tok_mention.get(c.i)
                if m is not None and m.kind in ("organization", "person"):
                    return _entity_name(m)
    return None


# --- the three cue shapes -------------------------------------------------


def _verb_claim(tok: Token, cue: vocab.Cue, state: _State,
                by_open: dict[int, Quote], by_close: dict[int, Quote]) -> Claim | None:
    if cue.kind == "cognition" and any(c.dep_ == "neg" for c in tok.children):
        return None  # "we do not know where he is" attributes nothing
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    passive = next((c for c in tok.children if c.dep_ in ("nsubjpass", "expl")), None)
    if subj is None and passive is None and cue.kind != "cognition":
        # "Fearing unrest, officials ..." is the writer's reading of a motive, not a claim
        subj = _participle_subject(tok)
    if subj is None and passive is None:
        return None
    if subj is None and not any(c.dep_ == "ccomp" for c in tok.children):
        return None
    span, kind = _content(tok, cue, subj, by_open, by_close)
    if span is None:
        return None
    speaker, speaker_kind, via = (None, None, None)
    if subj is not None:
        speaker, speaker_kind, via = _speaker(subj, state)
    else:
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        if pobj is not None:
            speaker, speaker_kind, via = _speaker(pobj, state)
    via = _via(tok, cue, state) or via
    conf = 0.85 if kind == "direct" else 0.7
    if speaker is None:
        conf = 0.5
    return Claim(speaker, via, tok.text, span[0], span[1], tok.idx, tok.idx + len(tok.text),
                 kind, cue.kind, speaker_kind, None, conf,
                 f"cue verb '{tok.lemma_}' with subject '{subj.text if subj else '-'}'")


def _participle_subject(tok: Token) -> Token | None:
    """The speaker of a cue in a participle clause: "X defended the verdict, saying
    ...", "the group said, adding that ...", "X was quoted as saying ..."."""
    if tok.tag_ != "VBG":
        return None
    head = tok.head
    if tok.dep_ == "pcomp" and head.lower_ == "as":
        head = head.head  # "was quoted as saying"
    elif tok.dep_ not in ("advcl", "xcomp", "conj"):
        return None
    if head.pos_ not in ("VERB", "AUX") or head is tok:
        return None
    return next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _according_claim(tok: Token, state: _State) -> Claim | None:
    doc = tok.doc
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    speaker, speaker_kind, via = _speaker(pobj, state)
    if speaker_kind in ("group", "other"):
        speaker = _span_text(doc, pobj.left_edge.i, pobj.right_edge.i)
    phrase_lo, phrase_hi = tok.i, max(to.right_edge.i, pobj.right_edge.i)
    head = tok.head if tok.head.i != tok.i else tok
    sent = sentence_of(tok)
    lo, hi = (head.left_edge.i, head.right_edge.i) if head is not tok else (sent.start,
                                                                           sent.end - 1)
    tail = [t for t in doc[phrase_hi + 1:sent.end] if not t.is_punct and not t.is_space]
    first = sent.start
    while first < phrase_lo and (doc[first].is_punct or doc[first].is_space):
        first += 1
    if not tail and first == phrase_lo and sent.start > 0:
        prev = sentence_of(doc[sent.start - 1])  # the parser split at '...," according'
        if "\n" not in doc[prev.end - 1].text_with_ws:
            sent, first = prev, prev.start
            lo, hi = prev.start, prev.end - 1
    if not tail and phrase_lo > first and doc[phrase_lo - 1].text in (",", "—", "-", '"'):
        lo = _after_dateline(doc, sent.start)  # "X happened, according to Y." is all X
        hi = phrase_lo - 1
    if phrase_lo <= lo:  # "According to X, they were ..." -> after the phrase
        span = _trim(doc, phrase_hi + 1, max(hi, phrase_hi + 1))
    elif phrase_hi >= hi:  # "... they were held, according to X."
        span = _trim(doc, lo, phrase_lo - 1)
    else:
        span = _trim(doc, phrase_hi + 1, hi)
    if span is None:
        return None
    return Claim(speaker, via, "according to", span[0], span[1], tok.idx,
                 to.idx + len(to.text), "indirect", "speech", speaker_kind, None, 0.75,
                 "'according to' names the source")


_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,[^\n]{0,60}?\s[-–—]\s")


def _after_dateline(doc: Doc, start: int) -> int:
    """The first token after a wire dateline ("ISTANBUL, May 6 (Agency) - ")."""
    tok = doc[start]
    m = _DATELINE.match(text_of(doc)[tok.idx:tok.idx + 120])
    if m is None:
        return start
    end = tok.idx + m.end()
    while start < len(doc) and doc[start].idx < end:
        start += 1
    return start


def _adverb_claim(tok: Token, kind: str) -> Claim | None:
    head = tok.head
    span = _trim(tok.doc, head.left_edge.i, head.right_edge.i)
    if span is None:
        return None
    return Claim(None, None, tok.text, span[0], span[1], tok.idx, tok.idx + len(tok.text),
                 "indirect", kind, None, None, 0.5, f"'{tok.text}' attributes without a speaker")


# --- nesting and continued quotes ----------------------------------------


def _nest(claims: list[Claim]) -> None:
    """Link each claim to the innermost claim whose content holds its cue."""
    for c in claims:
        outer = [p for p in claims if p is not c and p.start <= c.cue_start < p.end
                 and not (c.start <= p.cue_start < c.end)]
        if not outer:
            continue
        p = min(outer, key=lambda p: p.end - p.start)
        c.parent = claims.index(p)
        if c.speaker_kind == "self":
            c.speaker, c.speaker_kind = p.speaker, p.speaker_kind
        if c.via is None:
            c.via = p.via or p.speaker


def _continued_quotes(claims: list[Claim], quotes: list[Quote],
                      paras: list[tuple[int, int]], text: str) -> list[Claim]:
    """Claims for quotations that name no speaker of their own.

    A quote inside a paragraph after a claim of that paragraph extends that
    claim. A paragraph opening with a quote is a claim of its own, spoken by
    the speaker named in the next paragraph when the quote is left open and the
    next paragraph re-opens it, else by the previous claim's speaker.
    """
    def covered(q: Quote) -> bool:
        return any(c.start <= q.start < c.end for c in claims)

    loose = [q for q in quotes if not covered(q) and len(text[q.start:q.end].split()) >= 4]
    new: dict[int, Claim] = {}
    for q in loose:
        same_para = [c for c in claims if paras[q.para][0] <= c.start < q.start
                     and c.kind == "direct"]
        if same_para and not q.at_para_start:
            c = max(same_para, key=lambda c: c.start)
            c.end = max(c.end, q.end)
    opening = [q for q in loose if q.at_para_start]
    # forward first (an open quote takes the speaker of the paragraph that closes it)
    for q in reversed(opening):
        if q.closed or q.para + 1 >= len(paras):
            continue
        nxt = paras[q.para + 1][0]
        if text[nxt] not in MARKS:
            continue
        follow = [c for c in [*claims, *new.values()] if nxt <= c.start <= nxt + 1]
        if follow:
            new[q.start] = _copy(follow[0], q, "open quote continued in the next paragraph")
    for q in opening:
        if q.start in new:
            continue
        before = [c for c in [*claims, *new.values()] if c.start < q.start and c.speaker]
        if before:
            src = max(before, key=lambda c: c.start)
            new[q.start] = _copy(src, q, "quote paragraph continues the previous speaker")
    return claims + list(new.values())


def _copy(src: Claim, q: Quote, why: str) -> Claim:
    return Claim(src.speaker, src.via, src.cue, q.start, q.end, q.start - 1, q.start,
                 "continued", src.cue_kind, src.speaker_kind, None, 0.6, why)
