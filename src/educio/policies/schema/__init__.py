"""The typed schema of a policy pack (see ``pack.Pack``) and the cross-reference checks run after it."""

from educio.policies.schema.pack import SECTION_LABELS, SECTIONS, Article, Pack

__all__ = ["SECTIONS", "SECTION_LABELS", "Article", "Pack"]
