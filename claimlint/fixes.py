"""Fixes: rewrites a rule can offer for its matches, applied only when asked (``--fix``).

A rule declares ``fix: {replace: "...", safe: true|false}``; the replacement may use the rule's
placeholders and a regex rule's named groups. ``claimlint check --fix`` applies the safe fixes,
``--unsafe-fixes`` adds the others, ``--diff`` prints what would change without writing anything.

How a file is rewritten (:func:`write_fixed`):

* **Only the fixed bytes change.** The replacement is encoded in the file's own encoding and
  spliced into the original bytes; everything else -- byte-order mark, line endings, and in a
  legacy encoding (Shift_JIS, windows-1252 ...) bytes that would not survive a decode and
  re-encode -- is kept byte for byte. A fix that cannot be written in the file's encoding (an
  em dash in a KOI8-R page) is refused for that file with a message; the run goes on.
* **Atomically, and never over a change.** The new bytes go to a new temporary file beside the
  real one (``O_EXCL``), flushed, then renamed over it. The file is locked (``flock``) while it is
  compared and replaced, and it must still be the same file, with the same bytes claimlint read:
  two runs that race on one file never undo each other's work -- the second is told the file
  changed. The temporary file is removed whatever happens, Ctrl-C included.
* **Symbolic links.** A link is never replaced by a copy. When the file (or a folder on its path)
  is a link, the real file is fixed -- if it lies inside the checked folder (the working
  directory, or the ``root`` given); a link leading out of it is refused with a message.
* **Owner, group and mode are kept.** The new file gets the old one's mode and, where the system
  permits, its owner and group. When the owner cannot be kept (another user's file that is
  writable to us), or the file has several hard links (a rename would give this name a new file
  and leave the other names with the old text), the file is rewritten in place instead, under
  the lock, with a copy of the original kept beside it (``.claimlint-fix-*.tmp``) until the new
  text is on disk -- so an interruption never loses the text. Anything but a regular file is
  refused.
"""
from __future__ import annotations

import codecs
import contextlib
import difflib
import errno
import hashlib
import os
import signal
import stat
import threading
import time
from dataclasses import dataclass

from . import safefs
from .errors import InputError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

_BOM = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE}


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` (original offsets) with ``replacement``."""

    start: int
    end: int
    replacement: str
    safe: bool

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "replacement": self.replacement,
                "applicability": "safe" if self.safe else "unsafe"}

    @staticmethod
    def from_dict(d: dict) -> Edit:
        return Edit(d["start"], d["end"], d["replacement"], d["applicability"] == "safe")


def match_case(replacement: str, original: str) -> str:
    """'Clinically proven' -> 'Clinically studied': follow the original's first letter."""
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if replacement and original[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def non_overlapping(edits):
    """The edits (anything with ``start`` and ``end``) that can be applied together: in order of
    position, the first of overlapping ones wins; two insertions never share a position."""
    chosen = []
    last_end = -1
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start >= last_end:
            chosen.append(e)
            last_end = max(e.end, e.start + 1)
    return chosen


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, list[Edit]]:
    """The text with the non-overlapping edits applied (the first of overlapping ones wins)."""
    chosen = non_overlapping(edits)
    out = text
    for e in reversed(chosen):
        out = out[:e.start] + e.replacement + out[e.end:]
    return out, chosen


def _diff_lines(text: str) -> list[str]:
    """Lines as patch and git see them: ended by "\n" only (``str.splitlines`` would also split
    at U+2028, NEL or a form feed inside a line, and the diff would not apply)."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def unified_diff(path: str, old: str, new: str) -> str:
    return "".join(difflib.unified_diff(_diff_lines(old), _diff_lines(new),
                                        fromfile=f"a/{path}", tofile=f"b/{path}"))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Changed(Exception):
    """The file is not the one claimlint read any more."""


def _lines_with_ends(text: str) -> list[str]:
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def changed_regions(old: str, new: str) -> list[tuple[int, int, str]]:
    """``(start, end, replacement)`` regions of ``old`` that turn it into ``new``: the lines that
    differ, narrowed to the characters that differ (a diff, for callers that give no edits)."""
    import difflib

    a, b = _lines_with_ends(old), _lines_with_ends(new)
    offsets = [0]
    for line in a:
        offsets.append(offsets[-1] + len(line))
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        o, n = "".join(a[i1:i2]), "".join(b[j1:j2])
        k = 0
        while k < len(o) and k < len(n) and o[k] == n[k]:
            k += 1
        m = 0
        while m < len(o) - k and m < len(n) - k and o[-1 - m] == n[-1 - m]:
            m += 1
        out.append((offsets[i1] + k, offsets[i2] - m, n[k:len(n) - m]))
    return out


_CHUNK = 1 << 16


def _word_at(text: str, i: int) -> str:
    """The word around ``text[i]`` (for messages)."""
    a = i
    while a > 0 and (text[a - 1].isalnum() or text[a - 1] in "-'\u2019") and i - a < 40:
        a -= 1
    b = i
    while b < len(text) and (text[b].isalnum() or text[b] in "-'\u2019") and b - i < 40:
        b += 1
    return text[a:b]


def _byte_offsets(body: bytes, encoding: str, targets: list[int]) -> dict[int, int]:
    """Where character ``c`` of ``body.decode(encoding)`` starts in ``body``, for each target
    (ascending). Found with the codec's own incremental decoder, so that it is exact even where a
    decode and re-encode would not give the same bytes back."""
    out: dict[int, int] = {}
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    chars = 0
    pos = 0
    pending = sorted(set(targets))
    ti = 0
    while ti < len(pending):
        c = pending[ti]
        if c <= chars:
            # The minimal byte count whose decoding reaches ``c`` characters was passed exactly
            # here (c == chars) -- or c is 0.
            out[c] = pos
            ti += 1
            continue
        state = decoder.getstate()
        chunk = body[pos:pos + _CHUNK]
        if not chunk:
            raise ValueError("offset past the end of the text")
        got = len(decoder.decode(chunk, final=pos + len(chunk) >= len(body)))
        if chars + got < c:
            chars += got
            pos += len(chunk)
            continue
        # Within this chunk: the smallest prefix that decodes to enough characters.
        lo, hi = 1, len(chunk)
        while lo < hi:
            mid = (lo + hi) // 2
            probe = codecs.getincrementaldecoder(encoding)("strict")
            probe.setstate(state)
            if chars + len(probe.decode(chunk[:mid], final=False)) >= c:
                hi = mid
            else:
                lo = mid + 1
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        decoder.setstate(state)
        chars += len(decoder.decode(chunk[:lo], final=False))
        pos += lo
    return out


def encode_fixed(path: str, current: bytes, text: str, encoding: str, bom: bool,
                 edits: list[Edit] | None = None) -> bytes:
    """The bytes of the fixed file: ``current`` with only the edited spans re-encoded.

    ``edits`` are in offsets of the text ``current`` decodes to; without them the changed
    regions are worked out by comparing that text with ``text``. Raises :class:`InputError` when
    a replacement cannot be written in ``encoding`` or the result would not read back as ``text``.
    """
    prefix = _BOM.get(encoding, b"") if bom else b""
    if prefix and not current.startswith(prefix):
        raise InputError(path, "changed since claimlint read it (its byte-order mark); not fixed")
    body = current[len(prefix):]
    try:
        old = body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise InputError(path, f"cannot be read back as {encoding}; not fixed") from None
    if edits is not None:
        regions = [(e.start, e.end, e.replacement) for e in sorted(edits, key=lambda e: e.start)]
    else:
        regions = changed_regions(old, text)
    if not regions:
        return current
    offsets = _byte_offsets(body, encoding, [x for a, b, _ in regions for x in (a, b)])
    parts = [prefix]
    pos = 0
    shift = 0  # where old offsets are in the new text
    for a, b, replacement in regions:
        try:
            encoded = replacement.encode(encoding)
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start:exc.end]
            at = a + shift + exc.start
            word = _word_at(text, at) if edits is None else replacement
            raise InputError(path, f"the fix {word!r} cannot be written in {encoding.upper()}, the "
                                   f"file's encoding ({bad!r} has no byte form there); not fixed "
                                   "(edit it by hand, or save the file as UTF-8)") from None
        parts += [body[pos:offsets[a]], encoded]
        pos = offsets[b]
        shift += len(replacement) - (b - a)
    parts.append(body[pos:])
    data = b"".join(parts)
    try:
        ok = data[len(prefix):].decode(encoding) == text
    except UnicodeDecodeError:
        ok = False
    if not ok:
        raise InputError(path, f"the fix cannot be written in {encoding.upper()} without changing the "
                               "text around it; not fixed (edit it by hand, or save the file as UTF-8)")
    return data


def _pwrite_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    off = 0
    while off < len(data):
        off += os.pwrite(fd, view[off:], off)


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _same_file(dir_fd: int, name: str, st: os.stat_result) -> bool:
    try:
        now = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)


def _keep_owner(fd: int, st: os.stat_result) -> bool:
    """Give the new file the old one's owner and group; False when the system does not permit."""
    if not hasattr(os, "fchown"):
        return True
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) == (st.st_uid, st.st_gid):
        return True
    try:
        os.fchown(fd, st.st_uid, st.st_gid)
    except PermissionError:
        return False
    return True


def _replace(dir_fd: int, name: str, st: os.stat_result, data: bytes, hook) -> bool:
    """Write ``data`` to a new file and rename it over ``name``; False (nothing changed) when the
    new file could not be given the old one's owner and group."""
    tmp_fd, tmp = safefs.create_temp_in(dir_fd, ".claimlint-fix-")
    try:
        try:
            safefs._write_all(tmp_fd, data)
            if hasattr(os, "fchmod"):
                os.fchmod(tmp_fd, stat.S_IMODE(st.st_mode))
            if not _keep_owner(tmp_fd, st):
                os.unlink(tmp, dir_fd=dir_fd)
                return False
            if hasattr(os, "fchmod"):  # chown clears set-user-id bits: set the mode again
                os.fchmod(tmp_fd, stat.S_IMODE(st.st_mode))
            os.fsync(tmp_fd)
        finally:
            os.close(tmp_fd)
        if hook is not None:
            hook("written")
        if not _same_file(dir_fd, name, st):
            raise _Changed()
        os.rename(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        safefs.discard_in(dir_fd, tmp)
        raise
    return True


def _rewrite_in_place(path: str, dir_fd: int, name: str, st: os.stat_result, current: bytes,
                      data: bytes, hook) -> None:
    """Rewrite the file itself (its inode, so every hard link sees the fix and the owner stays),
    keeping a copy of the original beside it until the new bytes are on disk."""
    flags = os.O_WRONLY | safefs.O_NOFOLLOW | safefs.O_CLOEXEC | safefs.O_BINARY
    try:
        wfd = os.open(name, flags, dir_fd=dir_fd)
    except PermissionError:
        raise InputError(path, "belongs to another user and is not writable; not fixed") from None
    try:
        if (os.fstat(wfd).st_dev, os.fstat(wfd).st_ino) != (st.st_dev, st.st_ino):
            raise _Changed()
        backup_fd, backup = safefs.create_temp_in(dir_fd, ".claimlint-fix-")
        try:
            safefs._write_all(backup_fd, current)
            os.fsync(backup_fd)
        except BaseException:
            os.close(backup_fd)
            os.unlink(backup, dir_fd=dir_fd)
            raise
        os.close(backup_fd)
        try:
            if hook is not None:
                hook("backed-up")
            _pwrite_all(wfd, data)
            os.ftruncate(wfd, len(data))
            os.fsync(wfd)
        except BaseException:
            try:  # put the original back; the copy stays if even that fails
                _pwrite_all(wfd, current)
                os.ftruncate(wfd, len(current))
                os.fsync(wfd)
            except BaseException:
                raise InputError(path, f"could not be rewritten, nor restored: its original text is "
                                       f"in {os.path.join(os.path.dirname(path), backup)}") from None
            os.unlink(backup, dir_fd=dir_fd)
            raise
        os.unlink(backup, dir_fd=dir_fd)
    finally:
        os.close(wfd)


LOCK_WAIT_SECONDS = 30.0


def _lock(path: str, fd: int) -> None:
    """Wait (a while) for an exclusive lock on the open file."""
    if fcntl is None:
        return
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise InputError(path, "is locked by another program; not fixed (run again)") from None
            time.sleep(0.02)


_DEFERRED = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
                  if hasattr(signal, n))


@contextlib.contextmanager
def _signals_deferred():
    """Ctrl-C, SIGTERM and SIGHUP wait until the block is done: writing, renaming and cleaning up
    happen whole, and the signal takes effect right after (only the main thread can block them)."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def write_fixed(path: str, text: str, encoding: str, bom: bool, expected_digest: str, *,
                edits: list[Edit] | None = None, root: str | None = None, _hook=None) -> None:
    """Write the fixed ``text`` of ``path`` back, as the original was stored (see the module's
    documentation for the policy on encodings, links, owners and hard links).

    ``edits`` (original offsets) say which spans changed; without them they are worked out by
    comparing the file's text with ``text``. ``root`` is the folder a symbolic link may lead into
    (default: the working directory). Raises :class:`InputError` when the file changed since it
    was read, is not one claimlint may rewrite, or cannot be written; ``KeyboardInterrupt`` and
    other exceptions leave the file and its folder as they were.
    """
    try:
        target = safefs.resolve_for_write(path, root)
    except safefs.UnsafePath as exc:
        raise InputError(path, f"{exc.reason}; not fixed") from None
    directory, name = os.path.split(target)
    try:
        dir_fd = os.open(directory or ".", os.O_RDONLY | safefs.O_DIRECTORY | safefs.O_CLOEXEC)
    except OSError as exc:
        raise InputError(path, f"cannot re-read before fixing: {exc.strerror or exc}") from None
    try:
        _write_fixed_at(path, dir_fd, name, text, encoding, bom, expected_digest, edits, _hook)
    finally:
        os.close(dir_fd)


def _write_fixed_at(path, dir_fd, name, text, encoding, bom, expected_digest, edits, hook):
    flags = os.O_RDONLY | safefs.O_NOFOLLOW | safefs.O_NONBLOCK | safefs.O_CLOEXEC | safefs.O_BINARY
    try:
        fd = os.open(name, flags, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(path, "changed since claimlint read it (now a link); not fixed (run "
                                   "again)") from None
        raise InputError(path, f"cannot re-read before fixing: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(path, f"is {safefs.kind_of(st.st_mode)}, not a regular file; not fixed")
        os.set_blocking(fd, True)
        _lock(path, fd)  # another run fixing this file finishes first
        if not _same_file(dir_fd, name, st):
            raise _Changed()
        current = _read_all(fd)
        if digest(current) != expected_digest:
            raise _Changed()
        data = encode_fixed(path, current, text, encoding, bom, edits)
        if data == current:
            return
        if hook is not None:
            hook("locked")
        with _signals_deferred():
            if st.st_nlink > 1 or not _replace(dir_fd, name, st, data, hook):
                _rewrite_in_place(path, dir_fd, name, st, current, data, hook)
    except _Changed:
        raise InputError(path, "changed since claimlint read it; not fixed (run again)") from None
    except OSError as exc:
        raise InputError(path, f"cannot write the fixed file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)  # releases the lock
