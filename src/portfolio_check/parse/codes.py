"""Stable finding codes for reading problems (PC1xx).

Codes never change meaning once released: tutors filter on them and inspectors see them in
exported reports. Add new codes; never renumber.
"""

EMPTY = "PC101"           # 0-byte file
UNSUPPORTED = "PC102"     # content is not a format we read
NAME_MISMATCH = "PC103"   # extension says one thing, content another (read by content)
CORRUPT = "PC104"         # damaged archive / PDF / XML that could not be read
ENCRYPTED = "PC105"       # password-protected
LEGACY_DOC = "PC106"      # Word 97-2003 binary .doc
NOT_WORD = "PC107"        # a zip, but not a Word document (main part missing etc.)
XML_INVALID = "PC108"     # not well-formed XML inside a DOCX
TOO_LARGE = "PC109"       # decompression / size limit: refused before inflating
ENTITIES = "PC110"        # DTD or entity declarations were present and were not expanded
MACROS = "PC111"          # macro-enabled document: text read, macros never run
NO_TEXT = "PC112"         # 0 words: nothing to assess
IMAGE_ONLY = "PC113"      # pages with no text layer (scans), not read
OCR_READ = "PC114"        # scanned pages read by OCR: misread words possible, handwriting not read
PAGE_BUDGET = "PC115"     # only the first N pages were read
METADATA = "PC116"        # document properties unreadable; text unaffected
ENCODING = "PC117"        # text decoded with a fallback encoding
RECOVERED = "PC118"       # read after repairing damage; text may be incomplete
ATTACHMENT = "PC119"      # e-mail attachment not read
UNREADABLE = "PC120"      # the file system refused to open the file
PDF_BUDGET = "PC130"      # PDF streams over the decompression budget: not decoded, not read
HIDDEN_TEXT = "PC131"     # text a reader cannot see: kept out of counts and evidence
ATTACHMENT_LIMIT = "PC132"  # attachments skipped by the nesting-depth or count guard
PART_SKIPPED = "PC135"    # an optional part (styles, numbering, settings, notes) or a symbol skipped; body read
DUPLICATE_MEMBER = "PC136"  # two zip members with one name: which one a reader shows is not defined
EMBEDDED_UNREAD = "PC137" # embedded content (altChunk HTML/RTF, OLE object) not read or counted
OVER_BUDGET = "PC138"     # the file took longer (or more text) than one file may; not analysed
LINK = "PC139"            # a symbolic link (or junction): not followed, not read
INTERNAL = "PC199"        # a bug in portfolio-check, not a damaged file: please report it

DESCRIPTIONS = {
    EMPTY: "empty file",
    UNSUPPORTED: "unsupported or unrecognised content",
    NAME_MISMATCH: "file name and content disagree",
    CORRUPT: "damaged file",
    ENCRYPTED: "password-protected",
    LEGACY_DOC: "legacy Word .doc",
    NOT_WORD: "not a Word document",
    XML_INVALID: "invalid XML inside the document",
    TOO_LARGE: "over the size limit",
    ENTITIES: "XML entities not expanded",
    MACROS: "macro-enabled document",
    NO_TEXT: "no readable text",
    IMAGE_ONLY: "image-only pages",
    PAGE_BUDGET: "page limit reached",
    METADATA: "document properties unreadable",
    ENCODING: "text encoding guessed",
    RECOVERED: "repaired on reading",
    ATTACHMENT: "attachment not read",
    UNREADABLE: "cannot open file",
    PDF_BUDGET: "PDF over its decompression budget",
    HIDDEN_TEXT: "hidden text not counted",
    ATTACHMENT_LIMIT: "attachments skipped (depth or count limit)",
    PART_SKIPPED: "optional part skipped",
    DUPLICATE_MEMBER: "duplicate part names in the archive",
    EMBEDDED_UNREAD: "embedded content not read",
    OVER_BUDGET: "over the time or size budget for one file",
    LINK: "a link to another file: not followed",
    INTERNAL: "portfolio-check failed on this file; please report it",
}
