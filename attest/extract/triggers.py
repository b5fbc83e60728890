"""Which word opens an incident, and of which type.

A verb or noun lemma of ``data/violations.yaml`` is a trigger, read through the
parse so any inflection, voice or nominalisation counts ("detained", "were
detained", "the detention of"). The checks here keep out what only looks like
an act: negations, hypotheticals, appeals ("urged police to release him"),
"held a meeting" (``passive_only`` verbs need a patient in custody), fines
without money, deaths outside custody.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from attest.extract import groups as grp
from attest.extract import vocab
from attest.extract.incident_model import FinderState
from attest.extract.nlp import sentence_of

_CUSTODY = {"custody", "detention", "prison", "jail", "camp", "cell", "police"}
_MONEY_BY_NAME = {"fine", "bail", "ransom", "bribe", "extort"}  # money even when no sum is given
_HYPOTHETICAL = {"would", "could", "should", "might", "'d"}
_PROTEST_PEOPLE = {"protester", "protesters", "protestor", "protestors", "demonstrator",
                   "demonstrators", "activists", "activist", "crowd", "crowds",
                   "supporters", "marchers"}


class TriggerRules(FinderState):
    """Trigger detection; mixed into the incident finder, whose state it reads."""

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
            particles = self.particles.get(lemma)
            if particles and not any(c.dep_ in ("prt", "advmod") and c.lower_ in particles
                                     for c in tok.children):
                return None  # "picked up by police"; not "picked for the team"
            if lemma in vt.passive_only and not passive:
                if not self._has_destination(tok) and not self._removal(tok):
                    return None
            if lemma in vocab.words("violations", "types.other.verbs_need_property"):
                homes = vocab.words("facilities", "property")
                objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
                if not any(o.lemma_.lower() in homes for o in objs):
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
                    if (people is None or people.lower_ not in _PROTEST_PEOPLE) and not any(
                            t.lemma_.lower() in vocab.words("violations", "types.protest.signs")
                            for t in sentence_of(tok)):
                        return None  # "150 people gathered ... with banners" is a protest
            if (vt.requires_amount and lemma not in _MONEY_BY_NAME
                    and not self._amount_in(sentence_of(tok))):
                return None
            if vt.requires_custody and not self._custody_in(sentence_of(tok)):
                return None
            if typ == "arbitrary_detention" and self._to_labour_site(tok):
                return "forced_labour"
            return typ
        if lemma not in self.nouns and tok.lower_ in self.nouns:
            lemma = tok.lower_  # "whereabouts", lemmatised "whereabout"
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
            if lemma in vocab.words("violations", "types.other.nouns_need_object") and not (
                    self._acted_on(tok)):
                return None
            return typ
        return None

    def _removal(self, tok: Token) -> bool:
        """"took him away", "took her from her home": a person removed by force."""
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        if not objs or not (objs[0].pos_ in ("PRON", "PROPN") or grp.is_people_word(objs[0])):
            return False
        particles = vocab.words("violations", "types.arbitrary_detention.removal_particles")
        near = [*tok.children, *objs[0].children]  # the parser hangs "away" on either
        if any(c.lower_ in particles and c.dep_ in ("prt", "advmod") for c in near):
            return True
        homes = vocab.words("facilities", "property")
        return any(c.dep_ == "prep" and c.lower_ == "from" and any(
            o.lemma_.lower() in homes for o in c.children if o.dep_ == "pobj") for c in near)

    def _to_labour_site(self, tok: Token) -> bool:
        """"moved to a factory", "sent to work at a brickworks": custody at a place of
        work is forced labour."""
        sites = vocab.words("violations", "labour_sites")
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "into"):
                if any(o.dep_ == "pobj" and o.lemma_.lower() in sites for o in c.children):
                    return True
        return False

    def _acted_on(self, noun: Token) -> bool:
        """Whether a search or seizure names what it acts on ("searches at eleven
        homes", "the seizure of books"); "the search for survivors" does not."""
        homes = vocab.words("facilities", "property")
        preps = list(noun.children)
        if noun.dep_ == "dobj":  # "carried out searches at nine homes": the parser's attachment
            preps += [c for c in noun.head.children if c.lower_ in ("at", "on")]
        for c in preps:
            if c.dep_ == "prep" and c.lower_ in ("at", "of", "on", "in"):
                for o in c.children:
                    if o.dep_ == "pobj" and (o.lemma_.lower() in homes or self._facility_head(o)
                                             or o.pos_ in ("NOUN", "PROPN") and c.lower_ == "of"):
                        return True
        return False

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
