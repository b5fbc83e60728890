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
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from attest.extract import cases, phrases, vocab
from attest.extract import groups as grp
from attest.extract.amounts import Amount
from attest.extract.entities import Entity, Mention
from attest.extract.incident_model import Found, Incident, Site, Victim
from attest.extract.nlp import sentence_of, text_of
from attest.extract.quotes import paragraphs
from attest.extract.sites import SiteRules, _court
from attest.extract.triggers import TriggerRules
from attest.extract.victims import VictimRules

__all__ = ["Found", "Incident", "Site", "Victim", "find_incidents"]

_DURATION = re.compile(
    r"^(?:(?:about|nearly|almost|over|more than|at least)\s+)?"
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"several|a few|few)\s+(?:hours?|days?|weeks?|months?|years?)$", re.I)


@dataclass
class _Candidate:
    incident: Incident
    sites: list[Site]
    victims: list[Victim]
    anaphoric: bool  # victims known only through a pronoun of an earlier sentence
    specific: bool  # named, counted, or already-known victims
    para: int
    transfer: bool = False  # "transferred to X prison": a new place of custody, a new detention


class _Finder(TriggerRules, VictimRules, SiteRules):
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
        self.particles = {lemma: frozenset(ps) for t in vocab.load("violations")["types"].values()
                          for lemma, ps in (t.get("needs_particle") or {}).items()}
        self.types = vocab.violation_types()
        fac = vocab.load("facilities")
        self.fac_heads = {w.lower() for w in fac["heads"]}
        self.fac_weak = {w.lower() for w in fac["weak_heads"]}
        self.fac_kinds = vocab.facility_kinds()
        self.place_mentions = [m for m in mentions if m.kind == "place"]
        self.narrator = cases.narrator(doc, mentions)
        self.case = cases.case_fields(doc, mentions)
        self.header_end = cases.header_end(text_of(doc))
        self.person_places: dict[str, str] = {}
        self.transfer_verbs = vocab.words("violations", "types.arbitrary_detention.transfer_verbs")
        self.light_verbs = vocab.words("violations", "types.protest.light_verbs")

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
    def court_acts(self, m: Mention) -> bool:
        """Whether a court is where someone was tried: "tried at X Court", "sentenced
        by X Court", "X Court fined her"; not "appealed to the Supreme Court"."""
        root = self.doc[m.tok_start:m.tok_end].root
        if root.dep_ == "pobj" and root.head.lower_ in ("at", "in", "before") and self._locative(root):
            return True
        if root.dep_ == "pobj" and root.head.dep_ == "agent":
            verb = root.head.head
        elif root.dep_ == "nsubj":
            verb = root.head
        else:
            return False
        phrase = phrases.phrase_trigger(verb)
        typ = phrase[0] if phrase else self.trigger_type(verb)
        return typ in ("trial", "fine_or_extortion")

    def _court_site(self, tok: Token) -> list[Site]:
        """The court that is the subject or agent of a verdict is where the trial was."""
        heads = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        heads += [o for c in tok.children if c.dep_ == "agent" for o in c.children
                  if o.dep_ == "pobj"]
        for h in heads:
            m = self.tok_mention.get(h.i)
            if (m is not None and m.entity is not None and m.kind in ("organization", "facility")
                    and _court(m.entity.name)):
                name = m.entity.name
                return [Site(self.place_in(name), None, name, "court",
                             set(range(m.tok_start, m.tok_end)))]
        return []

    def _header_defendants(self) -> list[Victim]:
        """An act a case summary's header names without a victim is the defendants'."""
        assert self.case is not None
        names = dict.fromkeys(m.entity.name for m in self.case.defendants if m.entity)
        return [Victim(n, None, None, f"person:{n}") for n in names]

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
            if self.types[typ].property_act:  # "searched their quarters": the owners
                acted = {o.i for o in self._acted_objects(tok)}
                if not heads or any(h.i in acted for h in heads):
                    heads = [h for h in heads if h.i not in acted] + self.property_owners(tok)
            victims: list[Victim] = []
            anaphoric, specific = False, False
            if not heads and self.case is not None and tok.idx < self.header_end:
                victims = self._header_defendants()  # "Verdict: ... Fines of 400,000 rubles"
                specific = bool(victims)
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
            if typ in ("trial", "fine_or_extortion") and not any(x.facility for x in sites):
                sites = self._court_site(tok) + sites  # "The X District Court sentenced the six"
            date, duration = self.date_and_duration(tok, local)
            sent = sentence_of(tok)
            inc = Incident(typ, sent.start_char, sent.end_char, tok.text, date=date,
                           duration=duration, perpetrators=self.perpetrators(tok, typ),
                           why=f"trigger '{tok.text}' ({typ})")
            if typ == "fine_or_extortion":
                inc.amounts = [a.text for a in self.amounts
                               if sent.start_char <= a.start < sent.end_char]
            cand = _Candidate(inc, sites, victims, anaphoric, specific,
                              self.para_of(tok.idx), tok.lemma_.lower() in self.transfer_verbs)
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


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b and (a.lower() in b.lower() or b.lower() in a.lower()))


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.lower() == b.lower()


def _court_fills(old: Incident, new: Incident) -> bool:
    """A verdict's court names where an earlier mention of the same trial took place."""
    return old.facility is None and new.facility_kind == "court" and old.type == "trial"


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
        held_at = next((s for s in cand.sites if s.facility), None)
        if site is not None and held_at is not None and site is not held_at:
            # "boys from X were held at the county police station": custody is the facility
            site = Site(held_at.place or site.place, held_at.place_kind or site.place_kind,
                        held_at.facility, held_at.facility_kind, held_at.tokens)
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
        if inc.place is None:
            inc.place = next((finder.person_places[v.name] for v in cand.victims
                              if v.name in finder.person_places), None)
        if inc.place is None and inc.facility is not None and finder.types[inc.type].property_act:
            inc.place = finder.context_place(inc.start, cand.para)  # "searched the family's flat"
        if not cand.specific and inc.place is None:
            if inc.date:
                pending_date[inc.type] = inc.date
            continue
        inc.victims = cand.victims
        keys = {v.key for v in cand.victims}
        same = [i for i in incidents if i.type == inc.type]
        target = None
        if cand.anaphoric and same:
            # a pronoun extends the last act of its type, unless it names someone else
            target = next((i for i in reversed(same) if keys & {v.key for v in i.victims}
                           and _compatible(i.facility, inc.facility)
                           and not (cand.transfer and inc.facility and not i.facility)), None)
            if target is None and not (keys and all(k.startswith("person:") for k in keys)):
                target = same[-1]
        elif not keys:  # a search and a seizure in the same raid are one act
            target = next((i for i in reversed(same) if not i.victims
                           and cand.para - finder.para_of(i.start) <= 1
                           and _compatible(i.place, inc.place)), None)
        else:
            target = next((i for i in reversed(same) if keys & {v.key for v in i.victims}
                           and _compatible(i.facility, inc.facility)
                           and (_compatible(i.place, inc.place) or _court_fills(i, inc))
                           and not (cand.transfer and inc.facility and not i.facility)), None)
        if target is not None:
            if _court_fills(target, inc):  # the headline's "sentenced in Dalian", the body's court
                target.place = inc.place or target.place
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
    facilities = _facilities(incidents, mentions, finder)
    facilities += finder.other_facilities({f.name.lower() for f in facilities}, incidents)
    # "pre-trial detention centre SIZO-1" already names "SIZO-1"
    facilities = [f for f in facilities if not any(
        g is not f and len(g.name) > len(f.name) and g.name.endswith(" " + f.name)
        for g in facilities)]
    return Found(incidents, groups, facilities)


def _facilities(incidents: list[Incident], mentions: list[Mention],
                finder: _Finder) -> list[Entity]:
    """Facilities named by incidents, plus named facilities of the text."""
    out: dict[str, Entity] = {}
    for inc in incidents:
        if inc.facility and inc.facility.lower() not in out:
            e = Entity("facility", inc.facility, label=inc.facility_kind or "other",
                       info={"place": inc.place})
            e.mentions = [Mention("facility", inc.facility, inc.start, inc.end, 0, 0)]
            out[inc.facility.lower()] = e
    for m in mentions:
        if (m.kind == "organization" and m.entity is not None and _court(m.entity.name)
                and finder.court_acts(m)):
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
            e.label = e.label or finder._facility_kind(e.name)
            e.info = {**e.info, "place": e.info.get("place") or place}
            out[key] = e
    return list(out.values())
