"""Named people, organisations, places and facilities, from spaCy's NER.

The small English model is fast but noisy on this domain: it calls "Uyghur"
an organisation, "Kazakhs" a place and "Sydney Town Hall" an organisation.
So each NER span passes through word-list checks (``data/people.yaml``,
``data/organizations.yaml``, ``data/facilities.yaml``) that re-label or drop
it, and mentions that repeat a known name ("Erdogan" after "Recep Tayyip
Erdogan") become aliases of one entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span

from attest.extract import places, vocab
from attest.extract.nlp import sentence_of, text_of

_STRIP_LEFT = {"the", "a", "an"}


@dataclass
class Mention:
    """One span of the text naming an entity."""

    kind: str  # person, organization, place, facility
    text: str
    start: int  # character offsets in the clean text
    end: int
    tok_start: int  # token offsets in the Doc
    tok_end: int
    entity: Entity | None = None


@dataclass
class Entity:
    """One named thing of a document, with every mention of it."""

    kind: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    label: str | None = None  # role of a person, kind of a place or facility
    info: dict = field(default_factory=dict)  # extra interchange keys
    why: str = ""

    @property
    def start(self) -> int:
        return self.mentions[0].start if self.mentions else 0

    @property
    def end(self) -> int:
        return self.mentions[0].end if self.mentions else 0


def _clean_span(span: Span) -> Span:
    """Drop a leading article and a trailing possessive or punctuation."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and doc[start].lower_ in _STRIP_LEFT:
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct
                           or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def is_demonym(text: str) -> bool:
    """True for nationalities, ethnic groups and faiths ("Uyghur", "Kazakhs")."""
    demonyms = vocab.words("people", "demonyms")
    low = text.lower().strip()
    if low in demonyms:
        return True
    return all(w in demonyms for w in low.split())


def _last_word(span: Span) -> str:
    return span[-1].text if len(span) else ""


def _extend_org(span: Span) -> Span:
    """'Time' + 'magazine' -> 'Time magazine'; 'X' + '(ABC)' -> 'X (ABC)'."""
    doc = span.doc
    end = span.end
    suffixes = vocab.words("organizations", "outlet_suffixes")
    if end < len(doc) and doc[end].lower_ in suffixes:
        end += 1
    if (end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")"
            and doc[end + 1].text[:1].isupper() and len(doc[end + 1].text) <= 8):
        end += 3
    return doc[span.start:end]


def _extend_place(span: Span) -> Span:
    """'Wuhou' + 'District' -> 'Wuhou District' when the tagger stops short."""
    doc = span.doc
    end = span.end
    if end < len(doc) and places.kind_by_suffix(f"{span.text} {doc[end].text}"):
        end += 1
    return doc[span.start:end]


def _people_tagged_as_organizations(mentions: list[Mention]) -> list[Mention]:
    """An 'organisation' ending in a word the text uses as a person's name, with no
    organisation word in it, is that person ("Kassym-Jomart Tokayev" ... "Tokayev")."""
    surnames = {m.text.split()[-1] for m in mentions if m.kind == "person"}
    heads = set(vocab.load("organizations")["heads"])
    for m in mentions:
        words = m.text.split()
        if (m.kind == "organization" and len(words) > 1 and words[-1] in surnames
                and not heads & set(words)):
            m.kind = "person"
    return mentions


def classify(span: Span) -> str | None:
    """The kind of an NER span after the domain checks, or None to drop it."""
    label = span.label_
    text = span.text
    if not any(c.isupper() for c in text) or is_demonym(text):
        return None
    last = _last_word(span)
    org_heads = vocab.load("organizations")["heads"]
    fac_heads = vocab.load("facilities")["named_heads"]
    if label == "PERSON" or _introduced_as_named(span):
        return _person_or_not(span)
    if label in ("ORG", "FAC", "GPE", "LOC"):
        if text.lower() in vocab.words("organizations", "generic"):
            return None
        if places.kind_by_suffix(text) == "street":
            return "place"
        if last in fac_heads and label != "GPE":
            return "facility"
        if label == "ORG":
            if last not in org_heads and _is_place_name(span):
                return "place"  # "Urumqi", "Aksu" tagged ORG
            return "organization"
        if last in org_heads:
            return "organization"
        if label == "FAC":
            return "place" if places.lookup(text) else "facility"
        return "place"
    return None


_LOCATIVE_BEFORE = {"in", "from", "near", "at", "to", "outside"}
_SUFFIX_WORDS = {"province", "district", "county", "prefecture", "city", "township",
                 "village", "region", "subdistrict", "neighbourhood", "neighborhood"}


def _person_or_not(span: Span) -> str | None:
    """The small model tags many names PERSON: keep people, re-label the rest.

    A header label ("Verdict date:") and a deity are dropped; a name ending in
    an organisation word ("Steppe Dispatch") is an organisation; a name followed
    by a place word ("Dien Bien province") or a gazetteer place after a
    locative preposition ("in Shiraz") is a place.
    """
    doc = span.doc
    if span.text.lower() in vocab.words("people", "deities"):
        return None
    line_end = next((t.i for t in doc[span.end:span.end + 4] if "\n" in t.text_with_ws), None)
    after = doc[span.end:line_end if line_end is not None else span.end + 3]
    if (span.start == 0 or "\n" in doc[span.start - 1].text_with_ws) and any(
            t.text == ":" for t in after) and all(t.is_lower or t.text == ":" for t in
                                                   after[:[t.text for t in after].index(":")]):
        return None  # "Verdict date: 14 March"
    if _last_word(span) in vocab.load("organizations")["heads"] and len(span) > 1:
        return "organization"
    if _last_word(span) in vocab.load("facilities")["named_heads"] and len(span) > 1:
        return "facility"  # "Mianyang Prison" tagged PERSON
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is not None and nxt.lower_ in _SUFFIX_WORDS:
        return "place"
    before = doc[span.start - 1] if span.start else None
    if before is not None and before.lower_ in _LOCATIVE_BEFORE and places.is_well_known(span.text):
        return "place"
    return "person"


def _is_place_name(span: Span) -> bool:
    """A gazetteer city, district or region (not a country: "China Aid" is an NGO)."""
    return len(span) <= 2 and places.is_well_known(span.text)


def _introduced_as_named(span: Span) -> bool:
    """"a woman named X", "a pastor called X": X is a person whatever NER said."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].lower_ not in ("named", "called"):
        return False
    return doc[span.start - 2].lower_ in vocab.words("people", "group_nouns")


def find_mentions(doc: Doc) -> list[Mention]:
    """Mentions of named entities, in text order, with their kind."""
    out: list[Mention] = []
    for ent in doc.ents:
        kind = classify(ent)
        if kind is None:
            continue
        span = _clean_span(ent)
        if kind == "organization":
            span = _extend_org(span)
        elif kind == "place":
            span = _extend_place(span)
        if not len(span):
            continue
        out.append(Mention(kind, span.text, span.start_char, span.end_char, span.start,
                           span.end))
    out = _people_tagged_as_organizations(out)
    out = _add_persons_by_age(doc, out)
    out = _add_header_persons(doc, out)
    out = _add_named_organizations(doc, out)
    out = _add_agencies(doc, out)
    out = _add_numbered_facilities(doc, out)
    out.extend(_places_inside_facilities(doc, out))
    out.sort(key=lambda m: m.start)
    return out


def _add_persons_by_age(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """"Tsering Dondrub, 34, a herder": capitalised words followed by an age in
    commas are a person, the way detainee lists introduce people, whatever NER
    said."""
    taken = {i for m in mentions for i in range(m.tok_start, m.tok_end)}
    out = list(mentions)
    for tok in doc[2:len(doc) - 2]:
        if not (tok.text == "," and doc[tok.i + 1].like_num and doc[tok.i + 2].text == ","):
            continue
        if not doc[tok.i + 1].text.isdigit() or not 10 <= int(doc[tok.i + 1].text) <= 110:
            continue
        hi = tok.i
        lo = hi
        while lo - 1 >= 0 and hi - lo < 4 and doc[lo - 1].pos_ == "PROPN" and (
                doc[lo - 1].text[:1].isupper() and doc[lo - 1].is_alpha):
            lo -= 1
        if hi - lo < 2 or any(i in taken for i in range(lo, hi)):
            continue
        span = doc[lo:hi]
        if is_demonym(span.text) or places.lookup(span.text) is not None:
            continue
        out.append(Mention("person", span.text, span.start_char, span.end_char, lo, hi))
    return out


def _add_header_persons(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """The teller named in a testimony's title and the defendants of a case
    header are persons, whatever NER said."""
    from attest.extract.cases import defendant_spans, narrator_span

    text = text_of(doc)
    found = narrator_span(text)
    for lo, hi in ([found] if found else []) + defendant_spans(text):
        span = doc.char_span(lo, hi, alignment_mode="contract")
        if span is None or not len(span):
            continue
        mentions = [m for m in mentions if m.end <= span.start_char or m.start >= span.end_char]
        mentions.append(Mention("person", span.text, span.start_char, span.end_char,
                                span.start, span.end))
    return mentions


def _add_named_organizations(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Capitalised names ending in an organisation word that NER missed or cut:
    "China Aid" (tagged as the place "China"), "Bitter Winter Watch"."""
    heads = set(vocab.load("organizations")["heads"])
    taken = {i: m for m in mentions for i in range(m.tok_start, m.tok_end)}
    out = list(mentions)
    for tok in doc:
        if tok.text not in heads or tok.pos_ not in ("PROPN", "NOUN") or tok.is_sent_start:
            continue
        lo = tok.i
        first = sentence_of(tok).start
        while lo - 1 >= first and not doc[lo - 1].is_sent_start and (
                (doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].text[:1].isupper()
                 and doc[lo - 1].tag_ != "POS")
                or (doc[lo - 1].tag_ == "POS" and doc[lo - 2].lower_ == "people")):
            lo -= 1  # "Hotan Intermediate People's Court"
        if lo - 1 >= first and doc[lo - 1].is_sent_start and doc[lo - 1].pos_ == "PROPN":
            lo -= 1
        if lo == tok.i:
            continue
        inner = {id(taken[i]): taken[i] for i in range(lo, tok.i + 1) if i in taken}
        if any(m.kind == "organization" or m.tok_start < lo or m.tok_end > tok.i + 1
               for m in inner.values()):
            continue
        span = doc[lo:tok.i + 1]
        if is_demonym(span.text):
            continue
        out = [m for m in out if id(m) not in inner]
        out.append(Mention("organization", span.text, span.start_char, span.end_char,
                           span.start, span.end))
    return out


def _add_agencies(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """State bodies named by their place in lower case: "Yining municipal
    government", "Muong Nhe district police department", "China's foreign
    ministry", "the Chinese consulate in Almaty". The place inside such a name
    is not a place mention of its own (CONVENTIONS)."""
    spec = vocab.load("organizations")
    heads = {h.lower() for h in spec["agency_heads"]}
    mods = {m.lower() for m in spec["agency_modifiers"]}
    taken = {i for m in mentions for i in range(m.tok_start, m.tok_end)}
    out, drop = list(mentions), set()
    starts = [(m.tok_start, m.tok_end, m) for m in mentions if m.kind == "place"]
    starts += [(t.i, t.i + 1, None) for t in doc
               if t.i not in taken and t.text[:1].isupper() and t.i + 1 < len(doc)
               and doc[t.i + 1].is_lower and (
                   (is_demonym(t.text) and t.i > 0 and doc[t.i - 1].lower_ == "the")
                   or (t.pos_ == "PROPN" and places.is_well_known(t.text)))]
    for lo, hi, place in starts:
        j = hi + 1 if hi < len(doc) and doc[hi].tag_ == "POS" else hi
        end = None
        while j < len(doc) and j - hi <= 4 and doc[j].is_lower:
            if doc[j].lower_ in heads:
                end = j + 1
            elif doc[j].lower_ not in mods:
                break
            j += 1
        if end is None or any(i in taken for i in range(hi, end)):
            continue
        head = doc[end - 1]
        if head.lower_ in ("consulate", "embassy"):
            if head.dep_ not in ("nsubj", "nsubjpass"):
                continue  # a consulate is a body when it acts, else a building
        elif not any(doc[k].lower_ in mods for k in range(hi, end - 1)):
            continue  # "Shenzhen police", "the Chinese government": generic
        if doc[end - 1].lower_ in ("consulate", "embassy") and end + 1 < len(doc) and (
                doc[end].lower_ == "in" and (end + 1) in taken):
            end = next(m.tok_end for m in mentions if m.tok_start == end + 1)
        span = doc[lo:end]
        out.append(Mention("organization", span.text, span.start_char, span.end_char,
                           lo, end))
        if place is not None:
            drop.add(id(place))
    return [m for m in out if id(m) not in drop]


@lru_cache(maxsize=1)
def _numbered_pattern() -> re.Pattern[str]:
    spec = vocab.load("facilities")["numbered"]
    acr = "|".join(sorted(spec["acronyms"], key=len, reverse=True))
    heads = "|".join(sorted(spec["numbered_heads"], key=len, reverse=True))
    return re.compile(
        rf"\b(?:{acr})-?\d{{1,3}}\b"
        rf"|\b(?:[A-Z][\w'-]*\s){{0,3}}(?:{heads})\s(?:(?:No\.?|Number|#)\s?\d{{1,4}}|\d{{1,3}})\b"
        rf"(?![,.]?\d)")


def _add_numbered_facilities(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Facilities named by a number: "SIZO-1", "Penal Colony No. 3", "Factory 2".
    The parser splits these; a pattern on the text finds them whole."""
    text = text_of(doc)
    heads = {w.lower() for w in vocab.load("facilities")["heads"]}
    out = list(mentions)
    for m in _numbered_pattern().finditer(text):
        lo, hi = m.start(), m.end()
        first = text[lo:hi].split(" ", 1)[0]
        if first in ("The", "A", "An", "In", "At", "To", "From", "Of") and " " in text[lo:hi]:
            lo += len(first) + 1
        span = doc.char_span(lo, hi, alignment_mode="expand")
        if span is None or not len(span):
            continue
        j = span.start
        if j > 0 and doc[j - 1].lemma_.lower() in heads and doc[j - 1].is_lower:
            j -= 1  # "the pre-trial detention centre SIZO-1": the whole phrase
            while j > 0 and (doc[j - 1].pos_ in ("NOUN", "ADJ") or doc[j - 1].text == "-"):
                j -= 1
            span, lo = doc[j:span.end], doc[j].idx
        if any(x.kind == "person" and x.start < span.end_char and x.end > span.start_char
               for x in out):
            continue
        out = [x for x in out if x.end <= span.start_char or x.start >= span.end_char]
        out.append(Mention("facility", text[lo:hi], lo, hi, span.start, span.end))
    return out


def _places_inside_facilities(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'Sydney Town Hall' also names the city it stands in."""
    extra = []
    for m in mentions:
        if m.kind != "facility" or m.tok_end - m.tok_start < 2:
            continue
        for n in range(m.tok_end - m.tok_start - 1, 0, -1):
            head = doc[m.tok_start:m.tok_start + n]
            info = places.lookup(head.text)
            if info is not None and info.kind in ("city", "country", "region", "district"):
                extra.append(Mention("place", head.text, head.start_char, head.end_char,
                                     head.start, head.end))
                break
    return extra


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", s.lower()).split())


def group_mentions(mentions: list[Mention]) -> list[Entity]:
    """Entities from mentions: one per name, short forms folded into long ones.

    A person mentioned by surname alone ("Erdogan"), even when the tagger
    called that mention a place, becomes an alias of the full name. An
    organisation whose name is contained in a longer one ("Time" in "Time
    magazine") joins it. Places join by gazetteer identity.
    """
    persons = [m for m in mentions if m.kind == "person"]
    full_names = sorted({_norm(m.text) for m in persons}, key=len, reverse=True)

    titles = vocab.words("people", "titles")

    def person_for(text: str) -> str | None:
        words = _norm(text).split()
        while len(words) > 1 and words[0] in titles:
            words = words[1:]
        if not words:
            return None
        for full in full_names:
            fw = full.split()
            if len(fw) > len(words) and (fw[-len(words):] == words or fw[:len(words)] == words):
                return full
        return None

    entities: dict[tuple[str, str], Entity] = {}
    order: list[Entity] = []

    def get(kind: str, key: str, name: str) -> Entity:
        ent = entities.get((kind, key))
        if ent is None:
            ent = entities[(kind, key)] = Entity(kind, name)
            order.append(ent)
        return ent

    # persons first, so aliases find their full names
    for m in mentions:
        full = person_for(m.text) if m.kind in ("person", "place", "organization") else None
        short = len([w for w in _norm(m.text).split() if w not in titles]) == 1
        if m.kind == "person" or (full and short):
            key = full or _norm(m.text)
            ent = get("person", key, m.text if not full else "")
            m.kind = "person"
            m.entity = ent
            ent.mentions.append(m)
    for ent in order:
        texts = [m.text for m in ent.mentions]
        ent.name = max(texts, key=len)
        ent.aliases = sorted({t for t in texts if _norm(t) != _norm(ent.name)})
    orgs = sorted({_norm(m.text) for m in mentions if m.kind == "organization"},
                  key=len, reverse=True)
    for m in mentions:
        if m.kind == "person":
            continue
        if m.kind == "organization":
            n = _norm(m.text)
            key = next((o for o in orgs if o != n and f" {n} " in f" {o} "), n)
            ent = get("organization", key, m.text)
        elif m.kind == "place":
            kind, info = places.resolve(m.text)
            key = info.key if info else _norm(m.text)
            ent = get("place", key, m.text)
            if not ent.info:
                ent.label = kind
                ent.info = _place_info(info)
        else:
            ent = get("facility", _norm(m.text), m.text)
        m.entity = ent
        ent.mentions.append(m)
    for ent in order:
        if ent.kind == "organization":
            ent.name = max((m.text for m in ent.mentions), key=len)
        elif ent.kind == "place":
            names = [m.text for m in ent.mentions]
            ent.aliases = sorted({t for t in names if t != ent.name})
    return order


def _place_info(info: places.PlaceInfo | None) -> dict:
    if info is None:
        return {}
    out: dict = {"country": info.country, "gazetteer": info.source, "canonical": info.canonical}
    if info.lat is not None:
        out["lat"], out["lon"] = info.lat, info.lon
    return out
