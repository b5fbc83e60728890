"""Where an act happened: places and facilities in the trigger's own phrase.

A place or facility counts when it stands under a locative preposition of the
trigger's phrase (not in an embedded clause). Facilities are noun phrases
headed by a facility word (``data/facilities.yaml``) with their modifiers and
the place after "in"; their kind comes from their words. What the text says
about the document's setting (the last place of the paragraph, the most named
place) fills in a missing place.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Token

from attest.extract import vocab
from attest.extract.entities import Entity, Mention
from attest.extract.incident_model import FinderState, Incident, Site

_LOCATIVE = {"in", "at", "on", "near", "outside", "inside", "into", "to", "across",
             "throughout", "within", "around", "from", "of", "before", "opposite"}
_FRONT = {"front", "outside", "inside", "gates", "gate", "steps"}
_NOT_LOCAL = {"ccomp", "advcl", "relcl", "parataxis", "csubj", "xcomp", "acl", "conj"}


class SiteRules(FinderState):
    """Place and facility finding; mixed into the incident finder."""

    def _property_site(self, tok: Token, sites: list[Site]) -> list[Site]:
        """The building a raid or demolition acts on is its facility: "searched six
        homes of believers", "raided a house church meeting"."""
        for o in self._acted_objects(tok)[:1]:
            name = self._np_text(o, with_place=True, with_of=True)
            place = self.place_in(name)
            if sites and sites[0].facility is None:
                sites[0].facility, sites[0].facility_kind = name, self._facility_kind(name)
                return sites
            return [Site(place, None, name, self._facility_kind(name), set())] + sites
        return sites

    def _acted_objects(self, tok: Token) -> list[Token]:
        """The homes, buildings or rooms a raid, search or demolition acts on: a
        verb's object ("searched their quarters"), a noun's "at"/"of"/"on" object
        ("searches at eleven homes")."""
        words = vocab.words("facilities", "property")
        if tok.pos_ == "VERB":
            objs = [o for o in tok.children if o.dep_ in ("dobj", "nsubjpass")]
        else:
            preps = [p for p in tok.children if p.lower_ in ("at", "of", "on")]
            if tok.dep_ == "dobj":  # "carried out searches at nine homes"
                preps += [p for p in tok.head.children if p.lower_ in ("at", "on")]
            objs = [o for p in preps if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
        return [o for o in objs if o.lemma_.lower() in words or self._facility_head(o)]

    def property_owners(self, tok: Token) -> list[Token]:
        """Whose home was searched: the possessor of the object ("their quarters",
        "the family's flat", "his home")."""
        return [c for o in self._acted_objects(tok) for c in o.children if c.dep_ == "poss"]

    # -- where and when -------------------------------------------------------

    def local_tokens(self, tok: Token) -> set[int]:
        """The trigger's own phrase: its subtree without embedded clauses."""
        out: set[int] = set()
        stack = [tok]
        while stack:
            t = stack.pop()
            out.add(t.i)
            for c in t.children:
                if c.dep_ in _NOT_LOCAL and c.pos_ in ("VERB", "AUX"):
                    continue
                if c.dep_ == "cc" and c.lower_ in ("than",):
                    continue
                if c.lower_ in ("rather", "according"):  # "rather than to a hospital"
                    continue  # "according to a source close to the monastery" is no location
                stack.append(c)
        return out

    def _locative(self, tok: Token) -> bool:
        """Whether a place or facility token stands where something happened."""
        t = tok
        for _ in range(4):
            if t.dep_ in ("compound", "amod", "poss", "appos", "conj", "nmod"):
                t = t.head
                if t.lemma_.lower() in vocab.words("violations", "time_nouns"):
                    return False  # "on the Urumqi anniversary": a time, not a place
                continue
            break
        if t.dep_ == "pobj":
            prep = t.head
            if prep.lower_ == "of":
                return prep.head.lower_ in _FRONT
            return prep.lower_ in _LOCATIVE
        return t.lower_ == "there" or t.dep_ == "npadvmod"

    def _facility_head(self, tok: Token) -> bool:
        low = tok.lemma_.lower()
        if tok.pos_ in ("NOUN", "PROPN") and self._of_head(tok):
            return True
        if low not in self.fac_heads or tok.pos_ not in ("NOUN", "PROPN"):
            return False
        if low in self.fac_weak:
            return self._facility_kind(self._np_text(tok)) != "other"
        return True

    @staticmethod
    def _of_head(tok: Token) -> bool:
        """"place of worship", "place of detention": made a facility by its complement."""
        allowed = vocab.load("facilities").get("of_heads", {}).get(tok.lemma_.lower())
        return bool(allowed) and any(
            c.dep_ == "prep" and c.lower_ == "of" and any(
                o.dep_ == "pobj" and o.lemma_.lower() in allowed for o in c.children)
            for c in tok.children)

    def facility_name(self, tok: Token) -> str:
        """The facility's name: what it is "known as" or what people "call" it, else
        its noun phrase with the place after "in"."""
        for c in tok.children:
            if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in ("know", "call", "name"):
                for x in c.children:
                    name = None
                    if x.dep_ == "prep" and x.lower_ == "as":
                        name = next((o for o in x.children if o.dep_ == "pobj"), None)
                    elif x.dep_ in ("oprd", "xcomp", "dobj") and x.i > c.i:
                        name = x
                    if name is not None:
                        span = self.doc[name.left_edge.i:name.right_edge.i + 1]
                        text = span.text.strip("\"'“”‘’ ,")
                        words = text.split()
                        if words and words[0].lower() == "the":
                            text = " ".join(words[1:])
                        if text[:1].isupper():
                            return text
        return self._np_text(tok, with_place=True, with_of=self._of_head(tok))

    def _facility_kind(self, name: str) -> str:
        low = name.lower()
        for kind, words in self.fac_kinds:
            if any(w in low for w in words):
                return kind
        return "other"

    def _np_text(self, head: Token, with_place: bool = False, with_of: bool = False) -> str:
        doc = head.doc
        lo = head.left_edge.i
        while lo < head.i:
            t = doc[lo]
            if t.dep_ == "poss" and t.pos_ == "NOUN":
                break  # "the family's flat" keeps its owner; "his home", "X's home" do not
            if t.dep_ in ("poss", "nummod") or (t.head.dep_ == "nummod" or t.head.like_num) and (
                    t.i < t.head.i):
                lo = max(lo, t.right_edge.i) + 1  # "at least 36", "Tursunay's"
                continue
            if t.dep_ in ("det", "punct", "case") or t.is_punct or t.like_num:
                lo += 1
                continue
            break
        hi = head.i
        if with_of:  # "homes of believers", "office of the church"
            for c in head.rights:
                if c.dep_ == "prep" and c.lower_ == "of":
                    hi = c.right_edge.i
                    head = next((o for o in c.children if o.dep_ == "pobj"), head)
        if with_place:
            for c in head.rights:
                if c.dep_ == "prep" and c.lower_ == "in":
                    objs = [o for o in c.children if o.dep_ == "pobj"]
                    m = self.tok_mention.get(objs[0].i) if objs else None
                    if m is not None and m.kind == "place":
                        hi = c.right_edge.i
        return doc[lo:hi + 1].text.strip("\"'“”‘’ ,")

    def sites(self, local: set[int]) -> list[Site]:
        """Places and facilities of the phrase, grouped into distinct locations."""
        doc = self.doc
        items: list[tuple[int, int, str, str, str | None]] = []  # start, end, kind, text, sub
        seen: set[int] = set()
        for i in sorted(local):
            if i in seen:
                continue
            t = doc[i]
            m = self.tok_mention.get(i)
            if m is not None and m.kind in ("place", "facility") and m.entity is not None:
                seen.update(range(m.tok_start, m.tok_end))
                root = doc[m.tok_start:m.tok_end].root
                if self._locative(root):
                    items.append((m.tok_start, m.tok_end, m.kind, m.text, m.entity.label))
            elif m is not None and m.kind == "organization" and _building(m.text):
                # "taken to the Medeu district police department", "tried at X Court"
                seen.update(range(m.tok_start, m.tok_end))
                if self._locative(doc[m.tok_start:m.tok_end].root):
                    items.append((m.tok_start, m.tok_end, "facility", m.text,
                                  self._facility_kind(m.text)))
            elif t.lower_ == "there" and self.last_site is not None:
                items.append((i, i + 1, "there", "there", None))
            elif (m is None and self._facility_head(t) and self._locative(t)
                  and any(c.lower_ == "same" for c in t.children)):
                if self.last_site is not None:  # "held at the same facility"
                    items.append((i, i + 1, "there", "there", None))
            elif m is None and self._facility_head(t) and self._locative(t) and not _bare(t):
                name = self.facility_name(t)
                items.append((t.left_edge.i, t.i + 1, "facility", name,
                              self._facility_kind(self._np_text(t))))
        starts = [it for it in items if self._is_route_start(it[0], it[1])]
        if starts and len(starts) < len(items):  # "marched from X to Y": at Y
            items = [it for it in items if it not in starts]
        sites: list[Site] = []
        for lo, hi, kind, text, sub in sorted(items):
            if kind == "there":
                assert self.last_site is not None
                sites.append(Site(self.last_site.place, self.last_site.place_kind,
                                  self.last_site.facility, self.last_site.facility_kind,
                                  set(range(lo, hi))))
                continue
            site = sites[-1] if sites and self._attached(lo, hi, sites[-1], text) else None
            if site is None:
                site = Site()
                sites.append(site)
            site.tokens.update(range(lo, hi))
            if kind == "place":
                if site.place is None or (site.place_kind == "street" and sub != "street"):
                    site.place, site.place_kind = text, sub
            elif site.facility is None:
                site.facility, site.facility_kind = text, sub or self._facility_kind(text)
        return sites

    def _is_route_start(self, lo: int, hi: int) -> bool:
        root = self.doc[lo:hi].root
        return root.dep_ == "pobj" and root.head.lower_ == "from" and root.head.head.pos_ == "VERB"

    def _attached(self, lo: int, hi: int, site: Site, text: str) -> bool:
        """Whether a location item belongs to the previous site."""
        doc = self.doc
        root = doc[lo:hi].root
        if site.tokens & set(range(lo, hi)):  # "Sydney" inside "Sydney Town Hall"
            return True
        if root.dep_ == "poss" and root.head.i in site.tokens | set(range(lo, hi + 3)):
            return True
        t = root
        for _ in range(3):  # "institute in Beitun District", "plaza near X in New York"
            t = t.head
            if t.i in site.tokens:
                return True
            if t.dep_ not in ("prep", "pobj"):
                break
        if site.facility and text in site.facility:
            return True
        if site.place and any(doc[j].dep_ == "poss" and doc[j].head.i in range(lo, hi)
                              for j in site.tokens):
            return True
        return bool(site.place and site.place_kind == "street" and root.dep_ == "poss")

    def other_facilities(self, known: set[str], incidents: list[Incident]) -> list[Entity]:
        """Places of custody, trial or worship named where no incident was kept:
        "was held at Evin Prison". A bare plural ("sent to camps") is too
        generic to be a facility of its own."""
        out: list[Entity] = []
        covered = [(i.start, i.end) for i in incidents]
        for tok in self.doc:
            if tok.i in self.tok_mention or not self._facility_head(tok):
                continue
            if not self._locative(tok) or _bare(tok) or any(c.lower_ == "same" for c in tok.children):
                continue
            name = self.facility_name(tok)
            low = name.lower()
            proper = any(t.pos_ == "PROPN" for t in tok.subtree)
            if tok.tag_ == "NNS" and not proper and " in " not in low:
                continue  # "sent to camps": too generic to stand alone
            if low in known or any(low in k or k in low for k in known):
                continue
            kind = self._facility_kind(name)
            place = self.place_in(name) or self.context_place(tok.idx, self.para_of(tok.idx))
            e = Entity("facility", name, label=kind, info={"place": place})
            start = tok.left_edge.idx
            e.mentions = [Mention("facility", name, start, tok.idx + len(tok.text), tok.i,
                                  tok.i + 1)]
            e.why = "facility noun under a locative preposition"
            if any(a <= tok.idx < b for a, b in covered):
                e.why += " (in an incident sentence)"
            known.add(low)
            out.append(e)
        return out

    # -- context ---------------------------------------------------------------

    def place_in(self, facility: str) -> str | None:
        """The place named inside a facility name ("detention centre in Lhasa")."""
        for m in self.place_mentions:
            if m.text in facility:
                return m.text
        return None

    def context_place(self, pos: int, para: int) -> str | None:
        """Where the text is at ``pos``: the last place named earlier in the
        paragraph, else the document's most named place below country level."""
        para_start = self.paras[para] if para < len(self.paras) else 0
        before = [m for m in self.place_mentions if para_start <= m.start < pos]
        if before:
            return before[-1].text
        counts: dict[str, int] = {}
        for m in self.place_mentions:
            if m.entity is not None and m.entity.label not in ("country", "street"):
                counts[m.entity.name] = counts.get(m.entity.name, 0) + 1
        if counts:
            return max(counts, key=lambda k: counts[k])
        return None

    # -- the walk ---------------------------------------------------------------

    def para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.paras, pos) - 1)


_BUILDINGS = ("court", "tribunal", "department", "station", "consulate", "embassy",
              "headquarters", "prison", "centre", "center")


def _building(name: str) -> bool:
    """An organisation whose name ends in a building word is also a place of custody."""
    return name.lower().rsplit(" ", 1)[-1] in _BUILDINGS


def _court(name: str) -> bool:
    return name.lower().rsplit(" ", 1)[-1] in ("court", "tribunal")


def _bare(tok: Token) -> bool:
    """"in prison", "to jail": a bare singular noun is an idiom, not a place."""
    return tok.tag_ == "NN" and not any(True for _ in tok.lefts) and not any(
        c.dep_ in ("prep", "acl", "relcl") for c in tok.rights)

