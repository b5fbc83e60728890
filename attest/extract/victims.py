"""Who suffered an act: the noun heads of its victims, resolved to a person or group.

The patient of a verb ("X was detained", "police detained X"), the possessor
or "of" object of a noun ("his arrest", "the detention of X"), conjuncts and
appositions ("X and Y", "her husband, X"), relative pronouns ("sons who"),
partitives ("three of them"), pronouns (to the person or group last met) and
the teller of a testimony ("I") all resolve to a named person or an unnamed
group with its count.
"""

from __future__ import annotations

from spacy.tokens import Token

from attest.extract import groups as grp
from attest.extract import vocab
from attest.extract.entities import Mention
from attest.extract.incident_model import FinderState, Victim
from attest.extract.nlp import sentence_of

_PRON_PLURAL = {"they", "them", "these", "those", "their"}
_PRON_SINGULAR = {"he", "him", "she", "her", "his"}
_UNACCUSATIVE = {"die", "disappear", "vanish", "perish"}
_PAYERS = {"pay", "deposit", "hand"}  # the one who pays is the victim of the demand
_NOT_PEOPLE = {"year", "month", "week", "day", "hour", "minute", "time", "term", "sentence"}
_FIRST_PERSON = {"i", "me", "we", "us", "myself"}
_RELATIVE = {"who", "whom", "that"}
_PARTITIVE = {"each", "all", "both", "some", "most", "many", "none", "one", "several"}


class VictimRules(FinderState):
    """Victim finding; mixed into the incident finder, whose state it reads."""

    person_places: dict[str, str]

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
            if not heads:
                heads = self._given_act_patients(tok)
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
        if not heads and passive and not any(c.dep_ == "nsubjpass" for c in tok.children):
            heads = self._inherited_subject(tok)
        return self._with_conj(heads)

    def _given_act_patients(self, noun: Token) -> list[Token]:
        """The patients of an act named by a noun that a verb gives or imposes:
        "X was handed a prison term", "imposed fines on X", "given ten days of
        detention", "X received a two-year sentence"."""
        t = noun
        if t.dep_ == "pobj" and t.head.lower_ == "of" and self._is_quantity(t.head.head):
            t = t.head.head  # "ten days of detention": the act is the quantity's
        if t.dep_ not in ("dobj", "nsubjpass") or t.head.pos_ != "VERB":
            return []
        verb = t.head
        lemma = verb.lemma_.lower()
        if lemma in vocab.words("violations", "undergo_verbs"):
            return [c for c in verb.children if c.dep_ == "nsubj"]
        if lemma not in vocab.words("violations", "light_verbs"):
            return []
        out = [c for c in verb.children if c.dep_ in ("nsubjpass", "dative") and c.i != t.i]
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in ("on", "against", "to"):
                out += [o for o in prep.children if o.dep_ == "pobj"]
        return [h for h in out if not self._is_quantity(h)]

    @staticmethod
    def _inherited_subject(tok: Token) -> list[Token]:
        """A passive non-finite clause takes its subject from the clause above:
        "X is believed to have been transferred", "X spent 48 days in detention
        before being released"."""
        t = tok
        for _ in range(3):
            if t.dep_ not in ("xcomp", "advcl", "pcomp", "prep", "conj") or t.head is t:
                return []
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
                if subj:
                    return subj
        return []

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
            if m.entity.name not in self.person_places:
                place = self._person_place(head)
                if place is not None:
                    self.person_places[m.entity.name] = place
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

    def _person_place(self, head: Token) -> str | None:
        """Where a named victim lives or works, from what the text says of them:
        "X, a herder from Y", "X, who runs a shop in Y"."""
        place = self._group_place(head)
        for c in head.children:
            if place is not None:
                break
            if c.dep_ == "appos":
                place = self._group_place(c)
            elif c.dep_ == "relcl":
                place = next((self.tok_mention[t.i].text for t in c.subtree
                              if t.i in self.tok_mention and self.tok_mention[t.i].kind == "place"
                              and t.dep_ == "pobj" and t.head.lower_ in ("in", "at", "from")), None)
        return place

    def _group_place(self, head: Token) -> str | None:
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "from", "at"):
                for o in c.children:
                    m = self.tok_mention.get(o.i)
                    if m is not None and m.kind == "place" and m.entity is not None:
                        return m.text
        return None


def doc_tok(tok: Token, m: Mention) -> Token:
    """The last token of a mention, which resolves to its entity."""
    return tok.doc[m.tok_end - 1]


def _name_like(name: str) -> bool:
    """Two or three capitalised words with no organisation word: a person's name."""
    words = name.split()
    heads = {h.lower() for h in vocab.load("organizations")["heads"]}
    return 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words) and (
        not {w.lower() for w in words} & heads)

