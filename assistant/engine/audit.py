"""Editorial checks on the evidence, run by ``triage check``: where each citation points,
whether what is known only through a seed says so, and whether each file of clinical logic
is due for review.

Loading already enforces the shape (every reference has a ``source``, every row a level and
a strength, every rule table and therapy its review dates); these are the rules of citing.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from .knowledge import Knowledge

# Hosts that serve copies, not sources: staging servers, raw-IP mirrors, document-sharing
# and label-copy sites. A reference's url must point at the source itself (publisher, PubMed,
# PMC, DOI, a regulator's or manufacturer's label, a recognised formulary); where a statement
# was read only on such a copy, the note says so and the reference is marked unconfirmed.
MIRROR_HOSTS = ("mimsdev.com", "120ty.net", "newpages.asia", "download.skyscape.com",
                "docslib.org", "coek.info", "scribd.com", "fdocuments.us", "fdocuments.in",
                "vdocuments.net", "dokumen.tips", "abcdocz.com", "fda.report", "imedi.co.uk",
                "medicoreinc.com", "melakarnets.com")
_STAGING = re.compile(r"^(uat|sit|test|dev|staging)\.|-dev\.|dev\.silverchair")
_IP = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
# Secondary health and drug-information sites: acceptable only as a reference marked
# ``source: secondary`` (nothing better was found), never as a label or a paper.
SECONDARY_HOSTS = ("seekhealthz.com", "druglib.com", "hellopharmacist.com", "rxreasoner.com",
                   "droracle.ai", "empathia.ai", "pedia-time.com")


def _matches(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def host_problem(url: str) -> str | None:
    """Why a url cannot be the cited source (None when it can)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if _IP.match(host):
        return f"'{host}' is a raw-IP mirror: cite the source itself"
    if _matches(host, MIRROR_HOSTS) or _STAGING.search(host):
        return f"'{host}' is a staging or mirror copy: cite the source itself"
    if _matches(host, ("archive.org",)) and parts.path.strip("/") == "":
        return "a bare archive.org address is not a source: cite the source itself"
    return None


def source_problems(knowledge: Knowledge) -> list[str]:
    """References whose url is a copy, or a secondary site not marked as such."""
    out = []
    for ref in knowledge.references.values():
        where = knowledge.where("reference", ref.id, "url")
        if ref.url is None:
            continue
        problem = host_problem(ref.url)
        if problem:
            out.append(f"{where}: {ref.id}.url: {problem}")
        host = (urlsplit(ref.url).hostname or "").lower()
        if _matches(host, SECONDARY_HOSTS) and ref.source != "secondary":
            out.append(f"{where}: {ref.id}.source: '{host}' is a secondary site: "
                       "mark it 'source: secondary'")
    return out


def via_problems(knowledge: Knowledge) -> list[str]:
    """A reference nobody read (it has ``via``) is cited only together with the source it
    is known through, so that a reader sees "as reported in"."""
    refs = knowledge.references
    out = []
    for cit in knowledge.citations():
        for ref in cit.refs:
            via = refs[ref].via if ref in refs else None
            if via is not None and via not in cit.refs:
                out.append(f"{knowledge.where(cit.table, cit.key, cit.field)}: {cit.key}.{cit.field}: "
                           f"'{ref}' is known only through '{via}': cite it as reported "
                           f"there (via: {via})")
    return out


def overdue(knowledge: Knowledge, today: date) -> list[str]:
    """Warnings for every file of clinical logic whose review date has passed."""
    return [f"{file}: review overdue (reviewed {r.reviewed.isoformat()}, review by "
            f"{r.review_by.isoformat()})"
            for file, r in knowledge.reviews.items() if r.review_by < today]
