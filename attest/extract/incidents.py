"""Incidents: one per act and victim set, with place, facility and date.

A trigger word from ``data/violations.yaml`` ("detained", "torture of",
"protesters gathered") opens a candidate; the parse gives its victims (the
patient of the act, the participants of a protest), where it happened (places
and facilities under locative prepositions) and when. Candidates then pass
three rules that keep the list to what a monitor would record:

- a protest needs a location, and a protest in three places is three
  incidents;
- any other act needs an identifiable victim: a named person, a counted
  group, a group already met ("the prisoners"), or a vague group ("hundreds")
  with a place - "thousands have been sent to camps" alone is context, not an
  incident;
- candidates for the same act and the same victims merge ("they were held
  there" adds a duration to the detention already found), except when the
  place of custody differs (a transfer is a new detention).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from attest.extract import cases, phrases, vocab
from attest.extract import groups as grp
from attest.extract.amounts import Amount
from attest.extract.entities import Entity, Mention
from attest.extract.nlp import sentence_of, text_of
from attest.extract.quotes import paragraphs

_LOCATIVE = {"in", "at", "on", "near", "outside", "inside", "into", "to", "across",
             "throughout", "within", "around", "from", "of", "before", "opposite"}
_FRONT = {"front", "outside", "inside", "gates", "gate", "steps"}
_NOT_LOCAL = {"ccomp", "advcl", "relcl", "parataxis", "csubj", "xcomp", "acl", "conj"}
_DURATION = re.compile(
    r"^(?:(?:about|nearly|almost|over|more than|at least)\s+)?"
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"several|a few|few)\s+(?:hours?|days?|weeks?|months?|years?)$", re.I)
_CUSTODY = {"custody", "detention", "prison", "jail", "camp", "cell", "police"}
_PRON_PLURAL = {"they", "them", "these", "those"}
_PRON_SINGULAR = {"he", "him", "she", "her"}
_UNACCUSATIVE = {"die", "disappear", "vanish", "perish"}
_PAYERS = {"pay", "deposit", "hand"}  # the one who pays is the victim of the demand
_NOT_PEOPLE = {"year", "month", "week", "day", "hour", "minute", "time", "term", "sentence"}
_MONEY_BY_NAME = {"fine", "bail", "ransom", "bribe", "extort"}  # money even when no sum is given
_HYPOTHETICAL = {"would", "could", "should", "might", "'d"}
_FIRST_PERSON = {"i", "me", "we", "us", "myself"}
_RELATIVE = {"who", "whom", "that"}
_PARTITIVE = {"each", "all", "both", "some", "most", "many", "none", "one", "several"}
_PROTEST_PEOPLE = {"protester", "protesters", "protestor", "protestors", "demonstrator",
                   "demonstrators", "activists", "activist", "crowd", "crowds",
                   "supporters", "marchers"}


@dataclass
class Victim:
    """A named person or an unnamed group as the interchange lists them."""

    name: str | None
    count: int | None
    group: str | None
    key: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "count": self.count, "group": self.group}


@dataclass
class Incident:
    """One act against one set of victims."""

    type: str
    start: int  # the sentence of the (first) trigger
    end: int
    trigger: str = ""
    victims: list[Victim] = field(default_factory=list)
    place: str | None = None
    facility: str | None = None
    facility_kind: str | None = None
    date: str | None = None
    duration: str | None = None
    perpetrators: list[str] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)
    confidence: float = 0.6
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "victims": [v.to_dict() for v in self.victims],
                "place": self.place, "facility": self.facility, "date": self.date,
                "duration": self.duration, "perpetrators": list(self.perpetrators),
                "amounts": list(self.amounts), "trigger": self.trigger,
                "start": self.start, "end": self.end, "confidence": self.confidence}


@dataclass
class Site:
    """Where one incident happened: a place, a facility, or both."""

    place: str | None = None
    place_kind: str | None = None
    facility: str | None = None
    facility_kind: str | None = None
    tokens: set[int] = field(default_factory=set)


@dataclass
class _Candidate:
    incident: Incident
    sites: list[Site]
    victims: list[Victim]
    anaphoric: bool  # victims known only through a pronoun of an earlier sentence
    specific: bool  # named, counted, or already-known victims
    para: int


@dataclass
class Found:
    """Everything the incident pass proposes: incidents and their groups/facilities."""

    incidents: list[Incident]
    groups: list[grp.Group]
    facilities: list[Entity]


class _Finder:
    """Walks one Doc; remembers groups, the last victims and the last facility."""

    def __init__(self, doc: Doc, mentions: list[Mention], amounts: list[Amount]):
        self.doc = doc
        self.tok_mention = {i: m for m in mentions for i in range(m.tok_start, m.tok_end)}
        self.amounts = amounts
        self.groups: list[grp.Group] = []
        self.salient: list[Victim] = []
        self.last_site: Site | None = None
        self.paras = [s for s, _ in paragraphs(text_of(doc))]
        self.verbs, self.nouns = vocab.trigger_index()
        self.types = vocab.violation_types()
        fac = vocab.load("facilities")
        self.fac_heads = {w.lower() for w in fac["heads"]}
        self.fac_weak = {w.lower() for w in fac["weak_heads"]}
        self.fac_kinds = vocab.facility_kinds()
        self.place_mentions = [m for m in mentions if m.kind == "place"]
        self.narrator = cases.narrator(doc, mentions)
        self.case = cases.case_fields(doc, mentions)
        self.light_verbs = vocab.words("violations", "types.protest.light_verbs")

    # -- triggers -----------------------------------------------------------

    def _verb_lemma(self, tok: Token) -> str:
        """The lemma, corrected where the small model slips ("fined" -> "fin")."""
        lemma = tok.lemma_.lower()
        if lemma in self.verbs or tok.pos_ != "VERB":
            return lemma
        low = tok.lower_
        for cut in (1, 2, 3):
            if low.endswith(("ed", "es", "ing")) and low[:-cut] in self.verbs:
                return low[:-cut]
        return lemma

    def trigger_type(self, tok: Token) -> str | None:
        if tok.ent_type_ in ("DATE", "TIME"):  # "on 14 March", not a march
            return None
        if any(c.dep_ == "aux" and c.lower_ in _HYPOTHETICAL for c in tok.children):
            return None  # "would be released if he confessed"
        if (tok.dep_ in ("xcomp", "ccomp") and any(c.dep_ == "aux" and c.lower_ == "to"
                                                   for c in tok.children)
                and tok.head.lemma_.lower() in vocab.words("violations", "irrealis_heads")):
            return None  # "called on the authorities to release him"
        lemma = self._verb_lemma(tok)
        if tok.pos_ == "VERB" and lemma in self.verbs:
            typ = self.verbs[lemma]
            if any(c.dep_ == "neg" for c in tok.children):
                return None
            vt = self.types[typ]
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) or (
                tok.dep_ == "conj" and any(c.dep_ == "nsubjpass" for c in tok.head.children))
            if lemma in vt.passive_only and not passive:
                if not self._has_destination(tok):
                    return None
            if lemma == "force":
                if tok.dep_ == "amod":
                    return "forced_labour" if tok.head.lemma_ in ("labour", "labor") else None
                xcomp = next((c for c in tok.children if c.dep_ == "xcomp"), None)
                if xcomp is None:
                    return None
                if xcomp.lemma_ in ("work", "labour", "labor"):
                    return "forced_labour"
            if lemma == "gather":
                subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                if subj is None or subj.lower_ not in _PROTEST_PEOPLE:
                    label, _, people = grp.describe(subj) if subj is not None else ("", [], None)
                    if people is None or people.lower_ not in _PROTEST_PEOPLE:
                        return None
            if (vt.requires_amount and lemma not in _MONEY_BY_NAME
                    and not self._amount_in(sentence_of(tok))):
                return None
            if vt.requires_custody and not self._custody_in(sentence_of(tok)):
                return None
            return typ
        if tok.pos_ in ("NOUN", "PROPN") and lemma in self.nouns:
            if tok.dep_ == "compound":
                return None
            typ = self.nouns[lemma]
            vt = self.types[typ]
            if (vt.requires_amount and lemma not in _MONEY_BY_NAME
                    and not self._amount_in(sentence_of(tok))):
                return None
            if vt.requires_custody and not self._custody_in(sentence_of(tok)):
                return None
            return typ
        return None

    def _property_site(self, tok: Token, sites: list[Site]) -> list[Site]:
        """The building a raid or demolition acts on is its facility: "searched six
        homes of believers", "raided a house church meeting"."""
        if tok.pos_ != "VERB":
            return sites
        words = vocab.words("facilities", "property")
        for o in tok.children:
            if o.dep_ in ("dobj", "nsubjpass") and (
                    o.lemma_.lower() in words or self._facility_head(o)):
                name = self._np_text(o, with_place=True, with_of=True)
                place = self.place_in(name)
                if sites and sites[0].facility is None:
                    sites[0].facility, sites[0].facility_kind = name, self._facility_kind(name)
                    return sites
                return [Site(place, None, name, self._facility_kind(name), set())] + sites
        return sites

    def _has_destination(self, tok: Token) -> bool:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "into", "at", "in"):
                for o in c.children:
                    if o.dep_ == "pobj" and self._facility_head(o):
                        return True
            if c.lower_ == "there" or (c.dep_ == "prep" and any(
                    o.lower_ == "custody" for o in c.children)):
                return True
        return False

    def _amount_in(self, sent: Span) -> bool:
        return any(sent.start_char <= a.start < sent.end_char for a in self.amounts)

    def _custody_in(self, sent: Span) -> bool:
        return any(t.lemma_.lower() in _CUSTODY for t in sent)

    # -- victims ------------------------------------------------------------

    def victim_heads(self, tok: Token, typ: str) -> list[Token]:
        """The noun heads naming who suffered (or took part in) the act."""
        heads: list[Token] = []
        if tok.pos_ in ("NOUN", "PROPN"):
            for c in tok.children:
                if c.dep_ == "poss" and not self._is_quantity(c):
                    heads.append(c)
                preps = ("of", "by", "against", "for") if typ == "fine_or_extortion" else (
                    "of", "by", "against")
                if c.dep_ == "prep" and c.lower_ in preps:
                    heads += [o for o in c.children if o.dep_ == "pobj" and not self._is_quantity(o)]
            if not heads and tok.dep_ == "dobj" and tok.head.lemma_.lower() in self.light_verbs:
                heads = [c for c in tok.head.children if c.dep_ == "nsubj"]  # "X held a picket"
            verb = tok.head.head if tok.dep_ == "pobj" else None
            if not heads and verb is not None and verb.pos_ == "VERB":
                # "released on bail of 500 rials": the verb's patient
                heads = [c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")
                         and c.i != tok.head.i]
            return self._with_conj(heads)
        if typ == "protest":
            subj_deps: tuple[str, ...] = ("nsubj",)
        elif tok.lemma_.lower() in _UNACCUSATIVE or (
                typ == "fine_or_extortion" and tok.lemma_.lower() in _PAYERS):
            # "he died", "she vanished"; "her father paid 8,000 yuan"
            subj_deps = ("nsubj", "nsubjpass")
        else:
            subj_deps = ("nsubjpass",)
        obj_deps = () if typ == "protest" else ("dobj",)
        if typ == "fine_or_extortion":
            named = self._person_in_objects(tok)
            if named:
                return self._with_conj(named)
        passive = any(c.dep_ == "auxpass" for c in tok.children)
        node = tok
        while True:
            found = [c for c in node.children if c.dep_ in subj_deps + obj_deps
                     and not self._is_quantity(c)]
            if found or node.dep_ != "conj":
                break
            node = node.head
            if passive:  # "X went back to Urumqi and was detained"
                subj_deps = (*subj_deps, "nsubj")
        heads = found
        if typ == "fine_or_extortion" and not heads:
            for c in tok.children:
                if c.dep_ in ("ccomp", "xcomp"):
                    heads += [s for s in c.children if s.dep_ == "nsubj"]
                if c.dep_ == "dative":
                    heads.append(c)
        if not heads and tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            heads = [tok.head]  # "relatives detained in Xinjiang"
        return self._with_conj(heads)

    def _is_quantity(self, tok: Token) -> bool:
        """Money or a span of time is never a victim ("fined 10,000 yuan", "5 years")."""
        if any(a.start <= tok.idx < a.end for a in self.amounts):
            return True
        return tok.lemma_.lower() in _NOT_PEOPLE

    def _person_in_objects(self, tok: Token) -> list[Token]:
        """A named person inside a money object: "fined Mrs Petrova 400,000 rubles"."""
        out = []
        for c in tok.children:
            if c.dep_ in ("dobj", "dative"):
                for t in c.subtree:
                    m = self.tok_mention.get(t.i)
                    if m is not None and m.kind == "person" and t.i == m.tok_end - 1:
                        out.append(t)
        return out

    def _defendants(self, v: Victim | None) -> list[Victim]:
        """"the defendants", "the three" in a case summary are the defendants its
        header names."""
        if v is None or v.name is not None or self.case is None:
            return []
        named = [m.entity.name for m in self.case.defendants if m.entity is not None]
        label = (v.group or "").lower()
        if "defendant" in label or "accused" in label or v.count == len(named):
            return [Victim(n, None, None, f"person:{n}") for n in dict.fromkeys(named)]
        return []

    def header_trial(self) -> Incident | None:
        """The trial a case summary's header describes: defendants, court, date."""
        case = self.case
        if case is None:
            return None
        names = list(dict.fromkeys(m.entity.name for m in case.defendants if m.entity))
        inc = Incident("trial", case.start, case.end, "Defendants:",
                       victims=[Victim(n, None, None, f"person:{n}") for n in names],
                       facility=case.court, facility_kind="court" if case.court else None,
                       date=case.date, confidence=0.7, why="case summary header fields")
        inc.place = (self.place_in(case.court) if case.court else None) or self.context_place(
            case.start, self.para_of(case.start))
        return inc

    def _counted_acts(self, tok: Token) -> Victim | None:
        """A count on the act noun counts its victims: "at least six deaths"."""
        if tok.pos_ not in ("NOUN", "PROPN") or tok.tag_ != "NNS":
            return None
        quantity = [t for c in tok.children if c.dep_ == "nummod" for t in c.subtree]
        count, _ = grp.parse_count(quantity)
        if not count:
            return None
        group = grp.Group(len(self.groups) + 1, tok.text, count, tok.left_edge.idx,
                          tok.idx + len(tok.text), frozenset(), False, False, None)
        self.groups.append(group)
        return Victim(None, count, group.label, group.key)

    @staticmethod
    def _with_conj(heads: list[Token]) -> list[Token]:
        """Heads with their conjuncts and the people named after them
        ("three of them, including the chairman, Ma Yousuf", "her husband, X")."""
        out: list[Token] = []
        for h in heads:
            out.append(h)
            out += [c for c in h.conjuncts if c.i > h.i]
            for c in h.children:
                if c.dep_ == "appos" and c.pos_ == "PROPN":
                    out.append(c)
                if c.dep_ == "prep" and c.lower_ == "including":
                    for o in c.children:
                        if o.dep_ == "pobj":
                            out.append(o)
                            out += [a for a in o.children if a.dep_ == "appos"]
                            out += [x for x in o.conjuncts if x.i > o.i]
        return out

    def resolve(self, head: Token) -> tuple[Victim | None, bool, bool]:
        """(victim, anaphoric, specific) for a victim noun head."""
        m = self.tok_mention.get(head.i)
        if m is not None and m.kind == "organization" and m.entity is not None and _name_like(
                m.entity.name):
            # the small model often tags a victim's name ORG; bodies are not detained
            m.kind = m.entity.kind = "person"
            m.entity.label = None
        if m is not None and m.kind == "person" and m.entity is not None:
            return Victim(m.entity.name, None, None, f"person:{m.entity.name}"), False, True
        low = head.lower_
        if low in _RELATIVE and head.head.dep_ == "relcl":  # "sons who have not been heard from"
            return self.resolve(head.head.head)
        if low in _FIRST_PERSON and head.pos_ == "PRON":
            if self.narrator is None:
                return None, False, False
            return Victim(self.narrator, None, None, f"person:{self.narrator}"), False, True
        partitive = self._partitive(head)
        if partitive is not None:
            return partitive
        if head.pos_ == "PRON":
            if low in _PRON_PLURAL:
                local = self._local_antecedent(head)
                if local is not None:
                    return self.resolve(local)
                v = next((v for v in reversed(self.salient) if v.name is None), None)
            elif low in _PRON_SINGULAR:
                person = self._subject_person(head)
                if person is not None:
                    return self.resolve(person)
                v = next((v for v in reversed(self.salient) if v.name is not None), None)
            else:
                v = None
            return v, True, v is not None
        label, quantity, people = grp.describe(head)
        if not grp.is_people_word(people) and not (
                quantity and people.pos_ in ("NOUN", "PRON") and people.tag_ == "NNS"):
            if not (head.lower_ in vocab.words("people", "vague_counts") and people is head):
                return None, False, False
        nxt = self.tok_mention.get(people.i + 1)
        if people.tag_ == "NN" and nxt is not None and nxt.kind == "person":
            return self.resolve(doc_tok(people, nxt))  # "my cousin Pema Yangzom"
        for c in people.children:  # "her husband, X"
            m = self.tok_mention.get(c.i)
            if c.dep_ in ("appos", "compound") and m is not None and m.kind == "person":
                return self.resolve(doc_tok(c, m))
        count, vague = grp.parse_count(quantity)
        single = False
        if count is None and not vague and people.tag_ == "NN":
            count, single = 1, True  # "a Uyghur imam", "the landlord"
        definite = grp.is_definite(people) or grp.is_definite(head)
        words = frozenset(grp._stem(w) for w in label.split()) - {"people", "person"}
        group = None
        if count is not None and not single:
            group = next((g for g in reversed(self.groups) if g.count == count), None)
        elif single and definite:
            group = next((g for g in reversed(self.groups) if g.count == 1 and g.words & words),
                         None)
        elif definite:
            group = next((g for g in reversed(self.groups) if g.words & words), None)
            if group is None and people.lower_ in ("prisoners", "detainees", "victims",
                                                    "inmates", "captives"):
                v = next((v for v in reversed(self.salient) if v.name is None), None)
                if v is not None:
                    return v, False, True
        if group is None:
            group = grp.Group(len(self.groups) + 1, label, count, people.left_edge.idx,
                              people.idx + len(people.text), words, definite, vague,
                              self._group_place(people))
            self.groups.append(group)
        specific = group.count is not None or definite or group.definite
        return Victim(None, group.count, group.label, group.key), False, specific

    def _partitive(self, head: Token) -> tuple[Victim | None, bool, bool] | None:
        """"each of them" is them; "three of them", "the three" are a counted
        part of a group already met."""
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        numeric = head.like_num or head.lower_ in vocab.load("people")["number_words"]
        if pobj is not None and head.lower_ in _PARTITIVE and not numeric:
            return self.resolve(pobj)
        if not numeric or head.lower_ in ("a", "an"):
            return None
        bare = pobj is None and not grp.is_people_word(head) and grp.is_definite(head)
        if not bare and (pobj is None or pobj.pos_ != "PRON" and not grp.is_definite(pobj)):
            return None
        count, _ = grp.parse_count([t for t in head.subtree if t.i <= head.i])
        if count is None:
            return None
        whole, ana, _ = self.resolve(pobj) if pobj is not None else (None, False, False)
        group = next((g for g in reversed(self.groups) if g.count == count), None)
        if group is None:
            label = f"{head.text} of {whole.group or whole.name}" if whole else head.text
            group = grp.Group(len(self.groups) + 1, label, count, head.left_edge.idx,
                              head.idx + len(head.text), frozenset(), True, False, None)
            self.groups.append(group)
        return Victim(None, count, group.label, group.key), False, True  # a new subset

    def _subject_person(self, pron: Token) -> Token | None:
        """"X told me she had been held": he/she in a clause under a verb whose
        subject names one person is that person."""
        t = pron.head
        for _ in range(3):
            if t.dep_ not in ("ccomp", "conj", "advcl", "xcomp") or t.head is t:
                return None
            t = t.head
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None:
                continue
            names = {self.tok_mention[x.i].entity.name: x for x in subj.subtree  # type: ignore
                     if x.i in self.tok_mention and self.tok_mention[x.i].kind == "person"
                     and self.tok_mention[x.i].entity is not None}
            return next(iter(names.values())) if len(names) == 1 else None
        return None

    def _local_antecedent(self, pron: Token) -> Token | None:
        """The nearest plural people noun earlier in the same sentence."""
        for t in reversed(list(pron.doc[sentence_of(pron).start:pron.i])):
            if t.tag_ in ("NNS", "NNPS") and grp.is_people_word(t) and t.dep_ != "compound":
                return t
        return None

    def _group_place(self, head: Token) -> str | None:
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "from", "at"):
                for o in c.children:
                    m = self.tok_mention.get(o.i)
                    if m is not None and m.kind == "place" and m.entity is not None:
                        return m.text
        return None

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
                if c.lower_ == "rather":  # "rather than to a hospital"
                    continue
                stack.append(c)
        return out

    def _locative(self, tok: Token) -> bool:
        """Whether a place or facility token stands where something happened."""
        t = tok
        for _ in range(4):
            if t.dep_ in ("compound", "amod", "poss", "appos", "conj", "nmod"):
                t = t.head
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
        if low not in self.fac_heads or tok.pos_ not in ("NOUN", "PROPN"):
            return False
        if low in self.fac_weak:
            return self._facility_kind(self._np_text(tok)) != "other"
        return True

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
        return self._np_text(tok, with_place=True)

    def _facility_kind(self, name: str) -> str:
        low = name.lower()
        for kind, words in self.fac_kinds:
            if any(w in low for w in words):
                return kind
        return "other"

    def _np_text(self, head: Token, with_place: bool = False, with_of: bool = False) -> str:
        doc = head.doc
        lo = head.left_edge.i
        while lo < head.i and (doc[lo].dep_ in ("det", "poss", "punct", "nummod")
                               or doc[lo].is_punct or doc[lo].like_num):
            lo += 1
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

    def date_and_duration(self, tok: Token, local: set[int]) -> tuple[str | None, str | None]:
        date = duration = None
        for ent in sentence_of(tok).ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            text = ent.text
            low = text.lower()
            if _DURATION.match(low):
                if duration is None:
                    duration = text
                continue
            if low.split()[0] in ("each", "every", "all", "per") or ent.label_ == "TIME":
                continue
            if date is None or ent.root.i in local:
                prep = ent.root.head
                if ent.root.dep_ == "pobj" and prep.i == ent.start - 1 and prep.lower_ in (
                        "in", "on", "since", "during", "between", "until"):
                    text = f"{prep.text} {text}"
                date = text
        return date, duration

    def perpetrators(self, tok: Token, typ: str) -> list[str]:
        if typ == "protest" or tok.pos_ not in ("VERB",):
            return []
        out = []
        for c in tok.children:
            if c.dep_ == "nsubj" and c.pos_ != "PRON":
                out.append(self._np_text(c))
            if c.dep_ == "agent":
                out += [self._np_text(o) for o in c.children if o.dep_ == "pobj"]
        return out

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
        import bisect

        return max(0, bisect.bisect_right(self.paras, pos) - 1)

    def candidates(self) -> list[_Candidate]:
        out = []
        for tok in self.doc:
            phrase = phrases.phrase_trigger(tok)
            if phrase is not None:
                typ, heads = phrase
            else:
                found = self.trigger_type(tok)
                if found is None:
                    continue
                typ, heads = found, self.victim_heads(tok, found)
            victims: list[Victim] = []
            anaphoric, specific = False, False
            counted = self._counted_acts(tok)
            if counted is not None:  # "six deaths in custody"
                victims.append(counted)
                specific = True
            for head in heads:
                v, ana, spec = self.resolve(head)
                named = self._defendants(v)
                for one in named or ([v] if v is not None else []):
                    if all(one.key != w.key for w in victims):
                        victims.append(one)
                        anaphoric = anaphoric or (ana and not named)
                        specific = specific or spec or bool(named)
            local = self.local_tokens(tok)
            if tok.dep_ == "dobj" and tok.head.lemma_.lower() in self.light_verbs:
                local |= {i for i in self.local_tokens(tok.head)
                          if self.doc[i].dep_ != "nsubj"}  # "held a picket outside X"
            sites = self.sites(local)
            if self.types[typ].property_act and not any(x.facility for x in sites):
                sites = self._property_site(tok, sites)
            date, duration = self.date_and_duration(tok, local)
            sent = sentence_of(tok)
            inc = Incident(typ, sent.start_char, sent.end_char, tok.text, date=date,
                           duration=duration, perpetrators=self.perpetrators(tok, typ),
                           why=f"trigger '{tok.text}' ({typ})")
            if typ == "fine_or_extortion":
                inc.amounts = [a.text for a in self.amounts
                               if sent.start_char <= a.start < sent.end_char]
            cand = _Candidate(inc, sites, victims, anaphoric, specific,
                              self.para_of(tok.idx))
            place = next((s.place for s in sites if s.place), None)
            for g in self.groups:
                if g.place is None and place and any(v.key == g.key for v in victims):
                    g.place = place
            out.append(cand)
            if sites and (sites[0].facility or sites[0].place):
                self.last_site = sites[0]
            if victims and not (typ == "protest") and (specific or sites):
                self.salient.extend(victims)
        return out


def doc_tok(tok: Token, m: Mention) -> Token:
    """The last token of a mention, which resolves to its entity."""
    return tok.doc[m.tok_end - 1]


_BUILDINGS = ("court", "tribunal", "department", "station", "consulate", "embassy",
              "headquarters", "prison", "centre", "center")


def _building(name: str) -> bool:
    """An organisation whose name ends in a building word is also a place of custody."""
    return name.lower().rsplit(" ", 1)[-1] in _BUILDINGS


def _court(name: str) -> bool:
    return name.lower().rsplit(" ", 1)[-1] in ("court", "tribunal")


def _name_like(name: str) -> bool:
    """Two or three capitalised words with no organisation word: a person's name."""
    words = name.split()
    heads = {h.lower() for h in vocab.load("organizations")["heads"]}
    return 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words) and (
        not {w.lower() for w in words} & heads)


def _bare(tok: Token) -> bool:
    """"in prison", "to jail": a bare singular noun is an idiom, not a place."""
    return tok.tag_ == "NN" and not any(True for _ in tok.lefts) and not any(
        c.dep_ in ("prep", "acl", "relcl") for c in tok.rights)


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b and (a.lower() in b.lower() or b.lower() in a.lower()))


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.lower() == b.lower()


def find_incidents(doc: Doc, mentions: list[Mention], amounts: list[Amount]) -> Found:
    """Incidents of one document, with the victim groups and facilities they name."""
    finder = _Finder(doc, mentions, amounts)
    header = finder.header_trial()
    incidents: list[Incident] = [header] if header is not None else []
    last_in_para: dict[int, Incident] = {}
    pending_date: dict[str, str] = {}
    for cand in finder.candidates():
        inc = cand.incident
        if inc.type == "protest":
            located = [s for s in cand.sites if s.place or s.facility]
            if not located:
                if inc.date:
                    pending_date[inc.type] = inc.date
                continue
            for site in located:
                same = next((i for i in incidents if i.type == "protest" and (
                    _same(i.place, site.place) or _same(i.facility, site.facility))), None)
                if same is not None:  # the headline's rally and the body's march
                    same.facility = same.facility or site.facility
                    same.date = same.date or inc.date
                    same.victims += [v for v in cand.victims
                                     if v.key not in {w.key for w in same.victims}]
                    continue
                one = Incident(**{**inc.__dict__, "victims": list(cand.victims),
                                  "place": site.place, "facility": site.facility,
                                  "facility_kind": site.facility_kind,
                                  "perpetrators": list(inc.perpetrators)})
                one.date = one.date or pending_date.get(inc.type)
                one.confidence = 0.7 if cand.victims else 0.5
                incidents.append(one)
            continue
        site = next((s for s in cand.sites if s.place or s.facility), None)
        if not cand.victims and not (finder.types[inc.type].property_act and site):
            continue
        if site is not None:
            inc.place, inc.facility, inc.facility_kind = (site.place, site.facility,
                                                          site.facility_kind)
        if inc.place is None:
            inc.place = next((g.place for g in finder.groups for v in cand.victims
                              if g.key == v.key and g.place), None)
        if inc.place is None and inc.facility is not None:
            inc.place = finder.place_in(inc.facility)
        if not cand.specific and inc.place is None:
            if inc.date:
                pending_date[inc.type] = inc.date
            continue
        inc.victims = cand.victims
        keys = {v.key for v in cand.victims}
        same = [i for i in incidents if i.type == inc.type]
        target = None
        if cand.anaphoric and same:
            target = same[-1]
        elif not keys:  # a search and a seizure in the same raid are one act
            target = next((i for i in reversed(same) if not i.victims
                           and cand.para - finder.para_of(i.start) <= 1
                           and _compatible(i.place, inc.place)), None)
        else:
            target = next((i for i in reversed(same) if keys & {v.key for v in i.victims}
                           and _compatible(i.facility, inc.facility)
                           and _compatible(i.place, inc.place)), None)
        if target is not None:
            target.place = target.place or inc.place
            target.facility = target.facility or inc.facility
            target.facility_kind = target.facility_kind or inc.facility_kind
            target.date = target.date or inc.date
            target.duration = target.duration or inc.duration
            target.perpetrators += [p for p in inc.perpetrators if p not in target.perpetrators]
            target.confidence = min(0.9, target.confidence + 0.1)
            last_in_para[cand.para] = target
            continue
        ctx = last_in_para.get(cand.para)
        if ctx is not None and inc.place is None and inc.facility is None:
            inc.place, inc.facility, inc.facility_kind = (ctx.place, ctx.facility,
                                                          ctx.facility_kind)
        if inc.place is None:
            inc.place = finder.context_place(inc.start, cand.para)
        inc.date = inc.date or pending_date.get(inc.type)
        inc.confidence = 0.7 if cand.specific else 0.5
        incidents.append(inc)
        last_in_para[cand.para] = inc
    used = {v.key for i in incidents for v in i.victims}
    groups = [g for g in finder.groups if g.key in used]
    facilities = _facilities(incidents, mentions)
    facilities += finder.other_facilities({f.name.lower() for f in facilities}, incidents)
    return Found(incidents, groups, facilities)


def _facilities(incidents: list[Incident], mentions: list[Mention]) -> list[Entity]:
    """Facilities named by incidents, plus named facilities of the text."""
    out: dict[str, Entity] = {}
    for inc in incidents:
        if inc.facility and inc.facility.lower() not in out:
            e = Entity("facility", inc.facility, label=inc.facility_kind or "other",
                       info={"place": inc.place})
            e.mentions = [Mention("facility", inc.facility, inc.start, inc.end, 0, 0)]
            out[inc.facility.lower()] = e
    for m in mentions:
        if m.kind == "organization" and m.entity is not None and _court(m.entity.name):
            key = m.entity.name.lower()  # a court that tries is also where it sits
            if key not in out:
                e = Entity("facility", m.entity.name, label="court",
                           info={"place": next((p.text for p in mentions if p.kind == "place"
                                                and m.start <= p.start < m.end), None)})
                e.mentions = [m]
                out[key] = e
        if m.kind == "facility" and m.entity is not None:
            key = m.entity.name.lower()
            if key in out:
                continue
            place = next((p.text for p in mentions if p.kind == "place"
                          and m.start <= p.start < m.end), None)
            e = m.entity
            e.label = e.label or "other"
            e.info = {**e.info, "place": e.info.get("place") or place}
            out[key] = e
    return list(out.values())
