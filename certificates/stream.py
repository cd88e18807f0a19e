"""A PDF written page by page: each page arrives as a one-page PDF and leaves at once.

ReportLab's canvas keeps every page of a document until it saves, so a 1,000-page class
PDF built on one canvas holds all of it in memory. Here each page is rendered on its own
canvas, its objects renumbered and written out, and only the numbers' offsets are kept:
the latest in memory, older ones in a temporary file, so memory stays flat at any length.
"""

import hashlib
import re
import tempfile
from array import array
from collections import OrderedDict

HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
CATALOG, PAGES, INFO = 1, 2, 3
CHUNK = 256  # Kids entries or cross-reference lines written at a time
_XREF_AT = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF = re.compile(rb"xref\s+0\s+(\d+)\s+")
_ROOT = re.compile(rb"/Root\s+(\d+)\s+0\s+R")
_OBJECT = re.compile(rb"\s*(\d+)\s+0\s+obj\s*")
# A literal string is skipped whole, so digits inside one are never taken for a reference.
_REFERENCE = re.compile(rb"\((?:\\.|[^\\)])*\)|(\d+)\s+0\s+R\b", re.S)
_STREAM = re.compile(rb">>\s*stream\r?\n")


class PageStream:
    """Writes a PDF to `out` (anything with .write(bytes)) one page at a time."""

    def __init__(self, out, cache_size=64):
        self.out = out
        self.position = 0
        self.offsets = Numbers([0, 0, 0, 0])  # object 0 is the free-list head
        self.fixed = {}  # the offsets of the catalog, page tree and information, written last
        self.kids = Numbers()
        self.shared = OrderedDict()  # content key -> object number, for logos and fonts
        self.cache_size = cache_size

    def begin(self):
        self._write(HEADER)

    def add_page(self, pdf):
        """Copy the single page of the PDF `pdf` (bytes from ReportLab) into this one."""
        objects = _objects(pdf)
        catalog = objects[int(_ROOT.search(pdf[pdf.rindex(b"trailer") :]).group(1))]
        pages = _references(catalog[0], b"/Pages")[0]
        page = _references(objects[pages][0], b"/Kids")[0]
        mapping = {pages: PAGES}
        keys = {}
        pending = []

        def number(old):
            if old in mapping:
                return mapping[old]
            key = None if old == page else _key(objects, old, keys, set())
            if key is not None and key in self.shared:
                self.shared.move_to_end(key)
                mapping[old] = self.shared[key]
                return mapping[old]
            new = mapping[old] = self._reserve()
            pending.append(old)
            if key is not None:
                self.shared[key] = new
                if len(self.shared) > self.cache_size:
                    self.shared.popitem(last=False)
            return new

        self.kids.append(number(page))
        while pending:
            old = pending.pop()
            head, tail = objects[old]
            head = _REFERENCE.sub(lambda m: _renumber(m, number), head)
            self._object(mapping[old], head + tail)
        # Every number this page reserved is written: none of these entries changes again.
        self.offsets.settle()
        self.kids.settle()

    def finish(self, title, author, subject, created):
        """Write the page tree, the document information and the cross-reference table."""
        for _ in self.finishing(title, author, subject, created):
            pass

    def finishing(self, title, author, subject, created):
        """`finish` a piece at a time: yields after each piece is written, so a streamed
        response sends the Kids list and the cross-reference table as they are made rather
        than holding a line per page at once."""
        count = len(self.kids)
        self.fixed[PAGES] = self.position
        self._write(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [" % (PAGES, count))
        for kids in self.kids.chunks(0, CHUNK):
            self._write(b"".join(b" %d 0 R" % kid for kid in kids))
            yield
        self._write(b" ] >>\nendobj\n")
        self._object(CATALOG, b"<< /Type /Catalog /Pages %d 0 R >>\n" % PAGES)
        info = b"<< /Title %s /Author %s /Subject %s /Creator %s /Producer %s /CreationDate %s >>\n"
        stamp = f"D:{created:%Y%m%d}000000Z"
        values = (title, author, subject, "Muster", "Muster (ReportLab pages)", stamp)
        self._object(INFO, info % tuple(_text(value) for value in values))
        xref = self.position
        self._write(b"xref\n0 %d\n0000000000 65535 f \n" % len(self.offsets))
        number = 1
        for offsets in self.offsets.chunks(1, CHUNK):
            lines = []
            for offset in offsets:
                lines.append(b"%010d 00000 n \n" % self.fixed.get(number, offset))
                number += 1
            self._write(b"".join(lines))
            yield
        identity = hashlib.md5(repr((title, count, self.position)).encode()).hexdigest().encode()
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s><%s>] >>\n"
            b"startxref\n%d\n%%%%EOF\n"
            % (len(self.offsets), CATALOG, INFO, identity, identity, xref)
        )
        self.offsets.close()
        self.kids.close()
        yield

    def _reserve(self):
        self.offsets.append(0)
        return len(self.offsets) - 1

    def _object(self, number, body):
        if number <= INFO:
            self.fixed[number] = self.position
        else:
            self.offsets[number] = self.position
        self._write(b"%d 0 obj\n%sendobj\n" % (number, body))

    def _write(self, data):
        self.out.write(data)
        self.position += len(data)


class Numbers:
    """An append-only list of 64-bit numbers whose older entries wait in a temporary file."""

    def __init__(self, initial=(), keep=256):
        self.recent = array("Q", initial)
        self.base = 0  # the index of recent[0]
        self.keep = keep
        self.file = None

    def __len__(self):
        return self.base + len(self.recent)

    def append(self, value):
        self.recent.append(value)

    def __setitem__(self, index, value):
        self.recent[index - self.base] = value

    def settle(self):
        """Move the entries to the file once `keep` wait in memory; call it only when none
        of them will be set again."""
        if len(self.recent) >= self.keep:
            if self.file is None:
                self.file = tempfile.TemporaryFile(buffering=0)
            self.file.write(self.recent.tobytes())
            self.base += len(self.recent)
            self.recent = array("Q")

    def close(self):
        if self.file is not None:
            self.file.close()

    def chunks(self, start, size):
        """The entries from index `start` on, `size` at a time."""
        if self.file is not None and start < self.base:
            self.file.seek(start * 8)
            while start < self.base:
                count = min(size, self.base - start)
                chunk = array("Q")
                chunk.frombytes(self.file.read(count * 8))
                yield chunk
                start += count
        for index in range(start - self.base, len(self.recent), size):
            yield self.recent[index : index + size]


def _objects(pdf):
    """{number: (dictionary part, stream part)} of a PDF with a classic xref table."""
    start = int(_XREF_AT.search(pdf[-64:]).group(1))
    table = _XREF.match(pdf, start)
    count = int(table.group(1))
    entries = pdf[table.end() : table.end() + 20 * count]
    offsets = {
        number: int(entries[20 * number : 20 * number + 10])
        for number in range(1, count)
        if entries[20 * number + 17 : 20 * number + 18] == b"n"
    }
    ends = sorted(offsets.values()) + [start]
    following = {offset: ends[index + 1] for index, offset in enumerate(ends[:-1])}
    objects = {}
    for number, offset in offsets.items():
        header = _OBJECT.match(pdf, offset)
        body = pdf[header.end() : following[offset]].rstrip()
        if not body.endswith(b"endobj"):
            raise ValueError(f"object {number} of a page is not whole")
        body = body[: -len(b"endobj")]
        stream = _STREAM.search(body)
        split = stream.start() + 2 if stream else len(body)
        objects[number] = (body[:split], body[split:])
    return objects


def _references(head, name):
    at = head.index(name) + len(name)
    return [int(m.group(1)) for m in _REFERENCE.finditer(head, at) if m.group(1)][:1]


def _renumber(match, number):
    if match.group(1) is None:
        return match.group(0)
    return b"%d 0 R" % number(int(match.group(1)))


def _key(objects, old, keys, visiting):
    """A digest of an object and all it refers to, without object numbers: equal digests
    mean equal content, so a logo or a font drawn on many pages is written once."""
    if old in keys:
        return keys[old]
    if old in visiting or old not in objects:
        return None
    visiting.add(old)
    head, tail = objects[old]
    digest = hashlib.sha256()
    position = 0
    for m in _REFERENCE.finditer(head):
        if m.group(1) is None:
            continue
        child = _key(objects, int(m.group(1)), keys, visiting)
        if child is None:
            visiting.discard(old)
            keys[old] = None
            return None
        digest.update(head[position : m.start()] + b"<" + child + b">")
        position = m.end()
    digest.update(head[position:])
    digest.update(tail)
    visiting.discard(old)
    keys[old] = digest.digest()
    return keys[old]


def _text(value):
    """A PDF text string: UTF-16 with its byte-order mark, written as hex."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"
