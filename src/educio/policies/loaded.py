"""``LoadedPack``: a stored pack version with its typed rules, as other apps consume it.

The workflow engine, appointments, training and the other modules never parse
YAML themselves: they ask ``selectors.effective_pack(org)`` (or
``selectors.loaded_pack(pk)`` for the version a record was made under) and read
the typed sections. Parsing is cached by the source's SHA-256, which never
changes for a stored row.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from educio.policies.loader import parse_pack
from educio.policies.models import PackAdoption, PolicyPack
from educio.policies.schema import Article, Pack
from educio.workflow.spec import ChainSpec

_CACHE_SIZE = 64
_cache: OrderedDict[str, Pack] = OrderedDict()
_lock = threading.Lock()


def parsed(row: PolicyPack) -> Pack:
    """The typed pack of a stored row (validated when it was stored; cached by hash)."""
    with _lock:
        pack = _cache.get(row.sha256)
        if pack is not None:
            _cache.move_to_end(row.sha256)
            return pack
    pack = parse_pack(row.source, filename=row.filename or f"{row.pack_id}.yaml").pack
    with _lock:
        _cache[row.sha256] = pack
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return pack


@dataclass(frozen=True, eq=False)
class LoadedPack:
    """A pack version ready to use: the row id and version (for records to remember) and the typed rules.

    Two ``LoadedPack`` are equal when they are the same stored version reached through the same adoption.
    """

    pk: int
    pack_id: str
    version: int
    spec: Pack
    sha256: str = ""
    adoption_id: int | None = None
    adopted_by_org_id: int | None = None

    @classmethod
    def from_row(cls, row: PolicyPack, adoption: PackAdoption | None = None) -> LoadedPack:
        return cls(
            pk=row.pk,
            pack_id=row.pack_id,
            version=row.version,
            spec=parsed(row),
            sha256=row.sha256,
            adoption_id=adoption.pk if adoption else None,
            adopted_by_org_id=adoption.organization_id if adoption else None,
        )

    @property
    def title(self) -> str:
        return self.spec.title

    def review_chain(self, chain_id: str) -> ChainSpec | None:
        """The review chain ``chain_id`` (e.g. ``cio_nomination``), or None when the pack has none."""
        return self.spec.review_chains.get(chain_id)

    def article(self, article_id: str | None) -> Article | None:
        return self.spec.article(article_id)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LoadedPack):
            return NotImplemented
        return (self.pk, self.adoption_id) == (other.pk, other.adoption_id)

    def __hash__(self) -> int:
        return hash((self.pk, self.adoption_id))

    def __str__(self) -> str:
        return f"{self.spec.title}(第{self.version}版)"
