"""Unanonymised third-party personal data in evidence (PC6xx).

Evidence is full of people. Staff names, staff e-mail addresses, office numbers and internal
reference numbers are not customer data; a customer's e-mail address, mobile number, home
address, account, card or National Insurance number, or full name are. Hits are reported by
kind and place with the value masked (never written in clear anywhere, logs included).

Redaction follows the detector (presidio's model): every value a detector found in a piece is
masked wherever it appears in that piece's quotes and displayed text, in every output. A
customer's name found once with a title ("Mrs Joan Whitfield") is masked also where it appears
without one ("Joan Whitfield", "Mrs Whitfield").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from ..models import Block, Role

EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
UK_MOBILE = re.compile(r"(?<![\d+])(?:\+44\s?7\d{3}|\(?07\d{3}\)?)[\s-]?\d{3}[\s-]?\d{3}(?!\d)")
UK_LANDLINE = re.compile(r"(?<![\d+])(?:\+44\s?|0)(?:1\d{2,4}|2\d|3\d{2})[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")
POSTCODE = re.compile(r"\b(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b")
STREET = re.compile(r"\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s){1,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|"
                    r"Way|Court|Ct|Crescent|Place|Grove|Gardens|Terrace|Hill|Park|View|Walk|Mews|Row|Square)\b")
SORT_CODE = re.compile(r"(?<![\d-])\d{2}-\d{2}-\d{2}(?![\d-])")
CARD = re.compile(r"(?<!\d)(?:\d[ -]?){13,19}(?!\d)")
ACCOUNT_CTX = re.compile(r"\b(account|acct|a/c|bank account|account number|account no)\b[^\n\d]{0,25}(\d{8,12})\b", re.I)
NINO = re.compile(r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")
TITLE_NAME = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx)\.?\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?:\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?))?")
CUSTOMER_PHONE_CTX = re.compile(r"\b(call me|ring me|phone me|text me|contact me|reach me|my number|my mobile|"
                                r"my phone|home number|mobile number|mobile:|tel\.? no)\b", re.I)
PERSONAL_DOMAINS = {"gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com", "live.com",
                    "live.co.uk", "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com", "aol.com", "btinternet.com",
                    "sky.com", "virginmedia.com", "talktalk.net", "protonmail.com", "proton.me", "msn.com"}
# Words that look like names after a title but are not people ("Mr Blobby" is, "Ms Teams" is not).
NOT_NAMES = {"Teams", "Word", "Excel", "Service", "Services", "Manager", "Customer", "Smith-Jones",
             # organisation words that follow "customer"/"member" as capitalised pairs
             "Team", "Hub", "Desk", "Centre", "Center", "Care", "Support", "Relations", "Experience", "Leader",
             "Advisor", "Adviser", "Contact", "Account", "Accounts", "Portal", "Satisfaction", "Journey", "Charter",
             "Feedback", "First", "Direct", "Online", "Panel", "Forum", "Liaison", "Officer", "Manager"}
_NAME = r"[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?"
# A person a piece is written about, named without a title: "Janet Holloway (daughter)",
# "the customer, Joan Whitfield, ...", "Dionne Fairclough <dionne@...>" (a non-staff address).
CUSTOMER_ROLE = (r"customer|member|guest|patient|tenant|resident|caller|client|passenger|policyholder|policy holder|"
                 r"claimant|complainant|relative|daughter|son|wife|husband|mother|father|partner|carer|parent")
ROLE_THEN_NAME = re.compile(r"\b(?:" + CUSTOMER_ROLE + r")(?:'s name)?(?:\s+(?:is|was|called|named))?[,:]?\s+(" + _NAME
                            + r")\s+(" + _NAME + r")\b")
NAME_THEN_ROLE = re.compile(r"\b(" + _NAME + r")\s+(" + _NAME + r")\s*\((?i:the\s+)?(?i:" + CUSTOMER_ROLE + r")\)")
DISPLAY_NAME = re.compile(r"(?:^|[:,;]\s*|\s)\"?(" + _NAME + r")\s+(" + _NAME + r")\"?\s*(?:<|&lt;)\s*([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
# Customer-side reference numbers written in clear (masked ones contain '*' and are fine).
POLICY_CTX = re.compile(r"\b(?:policy|membership|member|customer)\s*(?:number|no\.?|#|ref(?:erence)?)?\s*[:#]?\s*"
                        r"([A-Z]{2,5}(?:-[A-Z0-9]{2,6})*-?\d{6,})\b", re.I)


@dataclass(frozen=True)
class PiiHit:
    kind: str        # email | phone | address | account | card | sort_code | ni_number | name
    code: str        # PC6xx
    masked: str      # safe to show: never the value in clear
    where: str
    # Where the value is: (block index, start, end) in that block's text. The value itself is
    # never stored in a hit, so a hit can be cached, logged or serialised safely.
    span: tuple[int, int, int] | None = field(default=None, compare=False)


def _mask_email(local: str, domain: str) -> str:
    return f"{local[:1]}•••@{domain}"


def _mask_digits(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return f"•••{digits[-2:]}" if len(digits) > 2 else "•••"


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def organisation_domains(properties: dict, employer: str | None, extra: Iterable[str] = ()) -> set[str]:
    """Domains that belong to the apprentice's side: their own and their coach's addresses
    (the e-mail's From/To/Cc), and any domain named after the employer."""
    domains: set[str] = set()
    for key in ("from", "to", "cc"):
        for m in EMAIL.finditer(str(properties.get(key) or "")):
            domains.add(m.group(2).lower())
    tokens = {t for t in re.findall(r"[a-z]{4,}", (employer or "").lower())
              if t not in {"limited", "group", "trust", "services", "service", "team", "centre", "university",
                           "college", "council", "company", "customer", "contact", "association", "housing"}}
    for d in extra:
        domains.add(d.lower())
    return domains | {f"__employer__:{t}" for t in tokens}


def _is_org_domain(domain: str, org: set[str]) -> bool:
    domain = domain.lower()
    for d in org:
        if d.startswith("__employer__:"):
            if d.split(":", 1)[1] in domain.replace("-", ""):
                return True
        elif domain == d or domain.endswith("." + d) or d.endswith("." + domain):
            return True
    return False


@dataclass(frozen=True)
class PiiScan:
    """What the detectors found in one piece: the hits (safe to keep) and a redactor that masks
    every found value wherever it appears (in memory only: it holds the values)."""

    hits: tuple[PiiHit, ...]
    redactor: "Redactor"


def find_pii(blocks: Iterable[Block], properties: dict, employer: str | None,
             staff_names: Iterable[str] = ()) -> list[PiiHit]:
    """Third-party personal data in a piece's text blocks (headers/footers are the employer's)."""
    return list(scan_pii(blocks, properties, employer, staff_names).hits)


def scan_pii(blocks: Iterable[Block], properties: dict, employer: str | None,
             staff_names: Iterable[str] = ()) -> PiiScan:
    """Detect third-party personal data and build the redactor from exactly what was found."""
    org = organisation_domains(properties, employer)
    staff = {n.lower() for n in staff_names if n}
    hits: list[PiiHit] = []
    seen: set[tuple[str, str]] = set()
    values: dict[str, str] = {}            # value in clear -> mask shown instead
    names: dict[str, str] = {}             # "first last" -> mask

    def add(kind: str, code: str, masked: str, where: str, key: str, value: str, span) -> None:
        values.setdefault(value, _MASK_TOKEN[kind])
        if (kind, key) not in seen:
            seen.add((kind, key))
            hits.append(PiiHit(kind, code, masked, where, span))

    def add_name(first: str, last: str, title: str | None, where: str, span) -> None:
        if first in NOT_NAMES or last in NOT_NAMES:
            return
        full = f"{first} {last}".lower()
        if full in staff or any(full in s for s in staff):
            return
        names[full] = "[name]"
        initials = f"{title + ' ' if title else ''}{first[0]}. {last[0]}."
        add("name", "PC606", f"a customer's full name ({initials})", where, full, f"{first} {last}", span)

    blocks = list(blocks)
    employer_tokens = [t for t in re.findall(r"[a-z]{5,}", (employer or "").lower())]
    org_numbers = _organisation_numbers(blocks, org, employer_tokens)
    for index, b in enumerate(blocks):
        if b.role in (Role.HEADER, Role.FOOTER):
            continue
        text = b.text
        where = b.location.describe()
        offset = 0
        lines_since_street = 99
        for line in text.splitlines(keepends=True) or [text]:
            base = offset
            offset += len(line)
            lines_since_street += 1
            if re.match(r"\s*(message-id|in-reply-to|references|x-[\w-]+)\s*:", line, re.I):
                continue

            def span(m: re.Match[str], group: int = 0):
                return (index, base + m.start(group), base + m.end(group))

            for m in EMAIL.finditer(line):
                local, domain = m.group(1), m.group(2)
                if _is_org_domain(domain, org) and domain.lower() not in PERSONAL_DOMAINS:
                    continue
                add("email", "PC601", _mask_email(local, domain), where, m.group(0).lower(), m.group(0), span(m))
            for m in DISPLAY_NAME.finditer(line):
                domain = m.group(4)
                if _is_org_domain(domain, org) and domain.lower() not in PERSONAL_DOMAINS:
                    continue
                add_name(m.group(1), m.group(2), None, where, span(m, 1))
            for m in UK_MOBILE.finditer(line):
                add("phone", "PC602", f"a mobile number ending {_mask_digits(m.group(0))}", where,
                    re.sub(r"\D", "", m.group(0)), m.group(0), span(m))
            if CUSTOMER_PHONE_CTX.search(line):
                for m in UK_LANDLINE.finditer(line):
                    if re.sub(r"\D", "", m.group(0)) in org_numbers:
                        continue   # the organisation's own number, given in its signature
                    add("phone", "PC602", f"a phone number ending {_mask_digits(m.group(0))}", where,
                        re.sub(r"\D", "", m.group(0)), m.group(0), span(m))
            for m in STREET.finditer(line):
                if employer_tokens and any(t in line.lower() for t in employer_tokens):
                    continue
                lines_since_street = 0
                add("address", "PC603", "a street address", where, m.group(0).lower(), m.group(0), span(m))
            if lines_since_street <= 3:   # the postcode closes the address, often lines below the street
                for m in POSTCODE.finditer(line):
                    add("address", "PC603", f"a postcode ({m.group(0)[:2]}•• •••)", where, m.group(0),
                        m.group(0), span(m))
            for m in ACCOUNT_CTX.finditer(line):
                add("account", "PC604", f"an account number ending {_mask_digits(m.group(2))}", where, m.group(2),
                    m.group(2), span(m, 2))
            for m in SORT_CODE.finditer(line):
                if re.search(r"sort", line, re.I):
                    add("sort_code", "PC604", "a sort code", where, m.group(0), m.group(0), span(m))
            for m in CARD.finditer(line):
                digits = re.sub(r"\D", "", m.group(0))
                if 13 <= len(digits) <= 19 and _luhn(digits) and re.search(r"card|visa|mastercard|amex|debit|credit", line, re.I):
                    add("card", "PC604", f"a card number ending {digits[-2:]}", where, digits, m.group(0).strip(), span(m))
            for m in NINO.finditer(line):
                if re.search(r"\bNI\b|national insurance|NINO", line, re.I):
                    add("ni_number", "PC605", "a National Insurance number", where, m.group(0), m.group(0), span(m))
        # Context patterns run over the whole block: wrapped lines split "policy / number X".
        for m in POLICY_CTX.finditer(text):
            add("account", "PC604", f"a policy or membership number ending {_mask_digits(m.group(1))}", where,
                m.group(1).upper(), m.group(1), (index, m.start(1), m.end(1)))
        for m in TITLE_NAME.finditer(text):
            if m.group(3):   # "Mr K", "Mrs B" and "Mr Patel" alone are how evidence anonymises
                add_name(m.group(2), m.group(3), m.group(1), where, (index, m.start(), m.end()))
        for pattern in (ROLE_THEN_NAME, NAME_THEN_ROLE):
            for m in pattern.finditer(text):
                add_name(m.group(1), m.group(2), None, where, (index, m.start(1), m.end(2)))
    # The message's own headers (kept as properties, not blocks). A sender outside the
    # employer writing in to it (or from a personal mailbox) is a customer: masked wherever
    # the piece names them, without a finding of its own (the body's hits give those).
    employer_only = {d for d in org if d.startswith("__employer__:")}

    def parties(key: str) -> list[re.Match[str]]:
        return list(DISPLAY_NAME.finditer(" " + str(properties.get(key) or "")))

    to_employer = any(_is_org_domain(m.group(4), employer_only) for k in ("to", "cc") for m in parties(k))
    for m in parties("from"):
        domain = m.group(4).lower()
        outsider = domain in PERSONAL_DOMAINS or (to_employer and not _is_org_domain(domain, employer_only))
        full = f"{m.group(1)} {m.group(2)}"
        if outsider and full.lower() not in staff:
            names[full.lower()] = "[name]"
            values.setdefault(f"{m.group(3)}@{m.group(4)}", "[e-mail]")
    return PiiScan(tuple(hits), Redactor.of(values, names))


KIND_LABEL = {"email": "an e-mail address", "phone": "a phone number", "address": "a postal address",
              "account": "an account number", "card": "a card number", "sort_code": "a sort code",
              "ni_number": "a National Insurance number", "name": "a full name"}


def _organisation_numbers(blocks: list[Block], org: set[str], employer_tokens: list[str]) -> set[str]:
    """Landline numbers given on a line that names the employer or carries a staff address:
    the organisation's own, however the piece words them elsewhere ("ring me on ...")."""
    numbers: set[str] = set()
    for b in blocks:
        for line in b.text.splitlines():
            low = line.lower()
            own = any(t in low for t in employer_tokens) or any(
                _is_org_domain(m.group(2), org) and m.group(2).lower() not in PERSONAL_DOMAINS
                for m in EMAIL.finditer(line))
            if own:
                numbers.update(re.sub(r"\D", "", m.group(0)) for m in UK_LANDLINE.finditer(line))
    return numbers


_MASK_TOKEN = {"email": "[e-mail]", "phone": "[phone]", "address": "[address]", "account": "[number]",
               "card": "[card]", "sort_code": "[sort code]", "ni_number": "[NI number]", "name": "[name]"}


def _loose(value: str) -> str:
    """A pattern for a value that tolerates the spacing and dashes it is written with."""
    parts = [re.escape(p) for p in re.split(r"[\s-]+", value.strip()) if p]
    return r"[\s-]*".join(parts)


@dataclass(frozen=True)
class Redactor:
    """Masks the values found in one piece wherever they appear. Built only by ``scan_pii``."""

    pattern: re.Pattern[str] | None = None
    masks: tuple[tuple[str, str], ...] = ()     # (normalised value, mask)

    @classmethod
    def of(cls, values: dict[str, str], names: dict[str, str]) -> "Redactor":
        masks: dict[str, str] = {}
        for value, mask in values.items():
            masks[_norm(value)] = mask
        for full in names:
            first, last = full.split(" ", 1)
            for variant in (full, f"mr {last}", f"mrs {last}", f"ms {last}", f"miss {last}", f"mx {last}"):
                masks[_norm(variant)] = "[name]"
        if not masks:
            return cls()
        alternatives = sorted({_loose(v) for v in masks}, key=len, reverse=True)
        pattern = re.compile(r"(?<![\w@.])(?:" + "|".join(alternatives) + r")(?![\w@])", re.I)
        return cls(pattern, tuple(sorted(masks.items())))

    def __bool__(self) -> bool:
        return self.pattern is not None

    def redact(self, text: str) -> str:
        if self.pattern is None or not text:
            return text
        lookup = dict(self.masks)
        return self.pattern.sub(lambda m: lookup.get(_norm(m.group(0)), "[redacted]"), text)


def _norm(value: str) -> str:
    return re.sub(r"[\s-]+", " ", value.strip().lower())


def redact(text: str, properties: dict, employer: str | None) -> str:
    """The text with third-party e-mail addresses and mobile numbers masked: the detector-free
    fallback for text that no ``scan_pii`` covered (the found values are masked by ``Redactor``)."""
    org = organisation_domains(properties, employer)

    def mail(m: re.Match[str]) -> str:
        if _is_org_domain(m.group(2), org) and m.group(2).lower() not in PERSONAL_DOMAINS:
            return m.group(0)
        return "[e-mail]"

    text = EMAIL.sub(mail, text)
    return UK_MOBILE.sub("[phone]", text)
