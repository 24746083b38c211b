"""Unanonymised third-party personal data in evidence (PC6xx).

Evidence is full of people. Staff names, staff e-mail addresses, office numbers and internal
reference numbers are not customer data; a customer's e-mail address, mobile number, home
address, account, card or National Insurance number, or full name are. Hits are reported by
kind and place with the value masked (never written in clear anywhere, logs included).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
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
NOT_NAMES = {"Teams", "Word", "Excel", "Service", "Services", "Manager", "Customer", "Smith-Jones"}


@dataclass(frozen=True)
class PiiHit:
    kind: str        # email | phone | address | account | card | sort_code | ni_number | name
    code: str        # PC6xx
    masked: str      # safe to show: never the value in clear
    where: str


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


def find_pii(blocks: Iterable[Block], properties: dict, employer: str | None,
             staff_names: Iterable[str] = ()) -> list[PiiHit]:
    """Third-party personal data in a piece's text blocks (headers/footers are the employer's)."""
    org = organisation_domains(properties, employer)
    staff = {n.lower() for n in staff_names if n}
    hits: list[PiiHit] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, code: str, masked: str, where: str, key: str) -> None:
        if (kind, key) not in seen:
            seen.add((kind, key))
            hits.append(PiiHit(kind, code, masked, where))

    for b in blocks:
        if b.role in (Role.HEADER, Role.FOOTER):
            continue
        text = b.text
        where = b.location.describe()
        for line in text.splitlines() or [text]:
            if re.match(r"\s*(message-id|in-reply-to|references|x-[\w-]+)\s*:", line, re.I):
                continue
            for m in EMAIL.finditer(line):
                local, domain = m.group(1), m.group(2)
                if _is_org_domain(domain, org) and domain.lower() not in PERSONAL_DOMAINS:
                    continue
                add("email", "PC601", _mask_email(local, domain), where, m.group(0).lower())
            for m in UK_MOBILE.finditer(line):
                add("phone", "PC602", f"a mobile number ending {_mask_digits(m.group(0))}", where,
                    re.sub(r"\D", "", m.group(0)))
            if CUSTOMER_PHONE_CTX.search(line):
                for m in UK_LANDLINE.finditer(line):
                    add("phone", "PC602", f"a phone number ending {_mask_digits(m.group(0))}", where,
                        re.sub(r"\D", "", m.group(0)))
            for m in STREET.finditer(line):
                if employer and any(t in line.lower() for t in re.findall(r"[a-z]{5,}", employer.lower())):
                    continue
                add("address", "PC603", "a street address", where, m.group(0).lower())
            if STREET.search(line):
                for m in POSTCODE.finditer(line):
                    add("address", "PC603", f"a postcode ({m.group(0)[:2]}•• •••)", where, m.group(0))
            for m in ACCOUNT_CTX.finditer(line):
                add("account", "PC604", f"an account number ending {_mask_digits(m.group(2))}", where, m.group(2))
            for m in SORT_CODE.finditer(line):
                if re.search(r"sort", line, re.I):
                    add("sort_code", "PC604", "a sort code", where, m.group(0))
            for m in CARD.finditer(line):
                digits = re.sub(r"\D", "", m.group(0))
                if 13 <= len(digits) <= 19 and _luhn(digits) and re.search(r"card|visa|mastercard|amex|debit|credit", line, re.I):
                    add("card", "PC604", f"a card number ending {digits[-2:]}", where, digits)
            for m in NINO.finditer(line):
                if re.search(r"\bNI\b|national insurance|NINO", line, re.I):
                    add("ni_number", "PC605", "a National Insurance number", where, m.group(0))
            for m in TITLE_NAME.finditer(line):
                first, second = m.group(2), m.group(3)
                if not second or first in NOT_NAMES or second in NOT_NAMES:
                    continue   # "Mr K", "Mrs B" and "Mr Patel" alone are how evidence anonymises
                full = f"{first} {second}".lower()
                if full in staff or any(full in s for s in staff):
                    continue
                add("name", "PC606", f"a full name with a title ({m.group(1)} {first[0]}. {second[0]}.)", where, full)
    return hits


KIND_LABEL = {"email": "an e-mail address", "phone": "a phone number", "address": "a postal address",
              "account": "an account number", "card": "a card number", "sort_code": "a sort code",
              "ni_number": "a National Insurance number", "name": "a customer's full name"}


def redact(text: str, properties: dict, employer: str | None) -> str:
    """The text with third-party e-mail addresses and mobile numbers masked, for quoting."""
    org = organisation_domains(properties, employer)

    def mail(m: re.Match[str]) -> str:
        if _is_org_domain(m.group(2), org) and m.group(2).lower() not in PERSONAL_DOMAINS:
            return m.group(0)
        return _mask_email(m.group(1), m.group(2))

    text = EMAIL.sub(mail, text)
    return UK_MOBILE.sub(lambda m: f"[mobile {_mask_digits(m.group(0))}]", text)
