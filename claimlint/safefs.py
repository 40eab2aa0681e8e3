"""File operations that a checked-out repository cannot turn against the user.

A repository is untrusted input: it can ship symbolic links, FIFOs and device files where claimlint
expects its own cache folder or a regular file. The helpers here never follow a symbolic link they
did not expect, never block on a FIFO, never read more than a bound, and create files only with
``O_EXCL`` (so an existing name -- a file, a link, a dangling link -- is never written through).

* :func:`read_regular` -- the bytes of a regular file, at most a bound; FIFOs, devices, sockets and
  directories are refused without blocking (:class:`NotRegularFile`, :class:`TooLarge`).
* :func:`read_stream` -- at most a bound from an open binary stream (standard input).
* :func:`safe_cache_dir` -- a descriptor of ``base/part/...`` where ``base``'s own last component
  and every part is a real directory owned by the user running claimlint (no symbolic link).
* :func:`read_in`, :func:`atomic_write_in`, :func:`create_new_in`, :func:`remove_tree_in`,
  :func:`list_in`, :func:`unlink_in` -- operations relative to such a descriptor.

All of them raise :class:`OSError` (or a subclass) and nothing else, so a caller that treats a cache
as best-effort catches ``OSError`` only. On a platform without ``O_NOFOLLOW`` and ``dir_fd``
support, :func:`safe_cache_dir` raises :class:`UnsafePath`: the cache is then not used at all.
"""
from __future__ import annotations

import errno
import os
import secrets
import stat

O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
O_BINARY = getattr(os, "O_BINARY", 0)
DIR_FD_OK = (os.open in os.supports_dir_fd and os.mkdir in os.supports_dir_fd
             and os.unlink in os.supports_dir_fd and os.rename in os.supports_dir_fd
             and bool(O_NOFOLLOW) and bool(O_DIRECTORY))

_READ_CHUNK = 1 << 20


class UnsafePath(OSError):
    """A path claimlint will not use: a symbolic link, a folder owned by someone else..."""

    def __init__(self, path: str, reason: str):
        super().__init__(errno.EPERM, reason, path)
        self.reason = reason


class NotRegularFile(OSError):
    """Not a regular file: a FIFO, a device, a socket, a directory."""

    def __init__(self, path: str, kind: str):
        super().__init__(errno.EINVAL, f"is {kind}, not a regular file", path)
        self.kind = kind


class TooLarge(OSError):
    """More bytes than the bound; ``size`` is the size known (at least bound + 1)."""

    def __init__(self, path: str, size: int, limit: int, exact: bool):
        super().__init__(errno.EFBIG, "file too large", path)
        self.size, self.limit, self.exact = size, limit, exact


def kind_of(mode: int) -> str:
    """'a FIFO', 'a character device'... for a file's ``st_mode``."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def _read_fd(fd: int, limit: int | None, path: str, size_hint: int) -> bytes:
    """Read ``fd`` to its end, or raise :class:`TooLarge` after ``limit`` + 1 bytes."""
    chunks: list[bytes] = []
    total = 0
    want = (limit + 1) if limit is not None else None
    while want is None or total < want:
        n = _READ_CHUNK if want is None else min(_READ_CHUNK, want - total)
        try:
            chunk = os.read(fd, n)
        except BlockingIOError:  # a descriptor that is not a regular file after all
            raise NotRegularFile(path, "not a regular file") from None
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if limit is not None and total > limit:
        raise TooLarge(path, max(size_hint, total), limit, exact=size_hint > limit)
    return b"".join(chunks)


def read_config_file(path: str, limit: int, display: str, error) -> bytes:
    """:func:`read_regular` for a configuration-like file (a pyproject.toml, a .claimlint.yaml):
    every way it cannot be read is ``error(message, display)`` -- the caller's own error type."""
    try:
        return read_regular(path, limit)
    except FileNotFoundError:
        raise error("file not found", display) from None
    except TooLarge:
        raise error(f"cannot read: over {limit / 1e6:.0f} MB", display) from None
    except NotRegularFile as exc:
        raise error(f"cannot read: it is {exc.kind}, not a regular file", display) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", display) from None


def read_regular(path: str, limit: int | None = None, *, follow_symlinks: bool = True,
                 dir_fd: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    The file is opened without blocking (a FIFO's open would wait for a writer), checked with
    ``fstat`` on the open descriptor (so it is the file read, not one swapped in since) and read
    to at most ``limit`` + 1 bytes, whatever size it claims (``/proc`` files claim 0, a file can
    grow while read). Raises :class:`NotRegularFile`, :class:`TooLarge` or another ``OSError``.
    """
    flags = os.O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_BINARY
    if not follow_symlinks:
        flags |= O_NOFOLLOW
    # Look before opening: opening a device can have effects of its own (a tape rewinds).
    try:
        st = os.stat(path, dir_fd=dir_fd, follow_symlinks=follow_symlinks) if dir_fd is not None \
            else os.stat(path, follow_symlinks=follow_symlinks)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafePath(path, "is a symbolic link that loops") from None
        raise
    if stat.S_ISLNK(st.st_mode):
        raise UnsafePath(path, "is a symbolic link")
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFile(path, kind_of(st.st_mode))
    try:
        fd = os.open(path, flags, dir_fd=dir_fd) if dir_fd is not None else os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise UnsafePath(path, "is a symbolic link") from None
        if exc.errno == errno.ENXIO:  # a socket, or a FIFO in some modes
            raise NotRegularFile(path, "a socket or a FIFO") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(path, kind_of(st.st_mode))
        if limit is not None and st.st_size > limit:
            raise TooLarge(path, st.st_size, limit, exact=True)
        if O_NONBLOCK:
            try:
                os.set_blocking(fd, True)
            except OSError:
                pass
        return _read_fd(fd, limit, path, st.st_size)
    finally:
        os.close(fd)


def read_stream(stream, limit: int | None, name: str = "<stdin>") -> bytes:
    """At most ``limit`` bytes of a binary stream; :class:`TooLarge` when there are more."""
    chunks: list[bytes] = []
    total = 0
    want = (limit + 1) if limit is not None else None
    reader = getattr(stream, "read1", None) or stream.read
    while want is None or total < want:
        n = _READ_CHUNK if want is None else min(_READ_CHUNK, want - total)
        chunk = reader(n)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if limit is not None and total > limit:
        raise TooLarge(name, total, limit, exact=False)
    return b"".join(chunks)


# -- a cache folder no repository can redirect --------------------------------------------------

def _check_owner(fd: int, path: str) -> None:
    st = os.fstat(fd)
    if not stat.S_ISDIR(st.st_mode):
        raise UnsafePath(path, "is not a directory")
    geteuid = getattr(os, "geteuid", None)
    if geteuid is not None and st.st_uid != geteuid():
        raise UnsafePath(path, "is owned by another user")


def open_subdir(parent_fd: int, name: str, *, create: bool = False, path: str = "") -> int:
    """A descriptor of the directory ``name`` in ``parent_fd``: never through a symbolic link,
    and only if it is owned by the user running claimlint. Created (mode 0777 less the umask)
    when missing and ``create`` is true."""
    if not name or name in (".", "..") or "/" in name or (os.sep != "/" and os.sep in name):
        raise UnsafePath(path or name, "is not a plain folder name")
    flags = os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
    shown = path or name
    try:
        fd = os.open(name, flags, dir_fd=parent_fd)
    except FileNotFoundError:
        if not create:
            raise
        try:
            os.mkdir(name, 0o777, dir_fd=parent_fd)
        except FileExistsError:
            pass  # made by a parallel worker: opened below, with the same checks
        fd = os.open(name, flags, dir_fd=parent_fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise UnsafePath(shown, "is a symbolic link or not a directory") from None
        raise
    try:
        _check_owner(fd, shown)
    except BaseException:
        os.close(fd)
        raise
    return fd


def safe_cache_dir(base: str, *parts: str, create: bool = False) -> int:
    """A descriptor of ``base/parts...`` for a cache: the folder holding ``base`` is opened as
    given (it is the user's project), but ``base`` itself and every part must be real folders
    owned by the user -- a symbolic link anywhere there raises :class:`UnsafePath`. The caller
    closes the descriptor."""
    if not DIR_FD_OK:
        raise UnsafePath(base, "this platform cannot open folders without following links")
    base = os.path.abspath(base)
    parent, name = os.path.split(base)
    parent_fd = os.open(parent or "/", os.O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    try:
        fd = open_subdir(parent_fd, name, create=create, path=base)
    finally:
        os.close(parent_fd)
    path = base
    for part in parts:
        path = os.path.join(path, part)
        try:
            sub = open_subdir(fd, part, create=create, path=path)
        finally:
            os.close(fd)
        fd = sub
    return fd


def read_in(dir_fd: int, name: str, limit: int | None) -> bytes:
    """The regular file ``name`` in ``dir_fd`` (never through a link), at most ``limit`` bytes."""
    return read_regular(name, limit, follow_symlinks=False, dir_fd=dir_fd)


def _temp_name(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(8)}.tmp"


def create_temp_in(dir_fd: int, prefix: str = ".claimlint-", mode: int = 0o600) -> tuple[int, str]:
    """A new file in ``dir_fd`` made with ``O_EXCL`` (never an existing name or a link): (fd, name)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_BINARY
    for _ in range(100):
        name = _temp_name(prefix)
        try:
            return os.open(name, flags, mode, dir_fd=dir_fd), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", prefix)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def atomic_write_in(dir_fd: int, name: str, data: bytes, mode: int | None = None, *,
                    fsync: bool = False) -> None:
    """Put ``data`` at ``name`` in ``dir_fd`` in one step: a new temporary file (``O_EXCL``),
    renamed over ``name``. A symbolic link at ``name`` is replaced, never written through. The
    temporary file is removed whatever goes wrong, an interruption included."""
    fd, tmp = create_temp_in(dir_fd)
    try:
        try:
            _write_all(fd, data)
            if mode is not None:
                os.fchmod(fd, mode)
            if fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        discard_in(dir_fd, tmp)
        raise


def create_new_in(dir_fd: int, name: str, data: bytes, mode: int = 0o644) -> bool:
    """Create ``name`` with ``data`` unless something (anything, a link included) is there
    already; True when created."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_BINARY
    try:
        fd = os.open(name, flags, mode, dir_fd=dir_fd)
    except FileExistsError:
        return False
    try:
        _write_all(fd, data)
    except BaseException:
        os.close(fd)
        try:
            os.unlink(name, dir_fd=dir_fd)
        except OSError:
            pass
        raise
    os.close(fd)
    return True


def list_in(dir_fd: int) -> list[str]:
    """The names in the folder ``dir_fd``."""
    dup = os.dup(dir_fd)  # scandir closes the descriptor it is given
    with os.scandir(dup) as it:
        return [e.name for e in it]


def discard_in(dir_fd: int, name: str) -> None:
    """Remove the temporary file ``name`` in ``dir_fd`` if it is still there (cleanup after an
    error or an interrupt: a failure to remove it is not a second error)."""
    try:
        os.unlink(name, dir_fd=dir_fd)
    except OSError:
        pass


def unlink_in(dir_fd: int, name: str) -> None:
    """Remove ``name`` (a file or a link: a link's target is never touched)."""
    os.unlink(name, dir_fd=dir_fd)


MAX_TREE_DEPTH = 32


def remove_tree_in(dir_fd: int, name: str, _depth: int = 0) -> None:
    """Delete the folder ``name`` in ``dir_fd`` and what it holds, never through a symbolic link:
    a link inside is removed as a link, and a link at ``name`` itself is only unlinked. Stops
    (leaving the rest) deeper than :data:`MAX_TREE_DEPTH` folders or at the first error."""
    flags = os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
    try:
        fd = os.open(name, flags, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            os.unlink(name, dir_fd=dir_fd)  # a link or a file where a folder was: remove the name
            return
        raise
    try:
        if _depth >= MAX_TREE_DEPTH:
            raise UnsafePath(name, "is nested too deeply to remove")
        dup = os.dup(fd)
        with os.scandir(dup) as it:
            entries = [(e.name, e.is_dir(follow_symlinks=False)) for e in it]
        for entry, is_dir in entries:
            if is_dir:
                remove_tree_in(fd, entry, _depth + 1)
            else:
                os.unlink(entry, dir_fd=fd)
    finally:
        os.close(fd)
    os.rmdir(name, dir_fd=dir_fd)


# -- replacing a user's file ---------------------------------------------------------------------

def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives
        return False


def resolve_for_write(path: str, root: str | None = None) -> str:
    """The file to rewrite for ``path``: ``path`` itself, or -- when a symbolic link is on the way
    (the file itself, or a folder on its path below ``root``) -- the real file, provided it lies
    inside ``root`` (default: the working directory). A link that leads out of ``root`` raises
    :class:`UnsafePath`, so a checked-out repository cannot make claimlint write elsewhere.
    A path outside ``root`` altogether (named explicitly) is written only if it is not itself a
    link."""
    root_abs = os.path.abspath(root or os.getcwd())
    root_real = os.path.realpath(root_abs)
    lex = os.path.abspath(path)
    real = os.path.realpath(lex)
    if _inside(lex, root_abs):
        expected = os.path.join(root_real, os.path.relpath(lex, root_abs)) if lex != root_abs \
            else root_real
        if os.path.normpath(expected) == real:
            return lex
        if _inside(real, root_real):
            return real
        raise UnsafePath(path, f"is reached through a symbolic link to {real}, outside {root_abs}")
    if os.path.islink(lex):
        raise UnsafePath(path, f"is a symbolic link (to {real})")
    return lex


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def replace_file(path: str, data: bytes, *, root: str | None = None) -> str:
    """Put ``data`` at ``path`` in one step (see :func:`resolve_for_write` for links): a new
    temporary file beside the real file (a unique name made with ``O_EXCL``), flushed to disk
    and renamed over it, with the mode of the file it replaces (or 0666 less the umask). The
    temporary file is removed whatever goes wrong, an interruption included. Returns the path
    written."""
    import tempfile

    target = resolve_for_write(path, root)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = _new_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=".claimlint-", suffix=".tmp", dir=os.path.dirname(target))
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return target
