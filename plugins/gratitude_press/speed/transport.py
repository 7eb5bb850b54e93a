"""Moving one read result between processes (or between rebuilds) without changing it.

A read gives ``(content, metadata)``, or an exception, plus the log records emitted
while reading. All three are pickled together into a *payload*:

- the settings dict is referenced by every Tag, Category and Author in the metadata;
  it travels as a reference and comes back as the receiving process's own settings
  (same values: the worker was forked from it), so a payload stays small;
- an exception that does not survive pickling (``ContentError`` keeps its parts in
  attributes) is rebuilt from its class, ``args`` and attributes, so its type and
  message are exactly those of the original;
- a log record keeps its ``msg`` and ``args`` (Pelican's ``LOG_FILTER`` matches on the
  template); only unpicklable arguments are formatted into the message first.

``replay`` emits the records through the normal logging path of the receiving
process, then returns the result or raises the exception: to Pelican and to every
log handler (strict mode counts warnings) it is as if the file had been read here.
"""

import io
import logging
import pickle

from pelican.log import FatalLogger, FilteredMessage

from ..build.runner import remember_template_line

SETTINGS_ID = "settings"
NEVER = logging.CRITICAL + 100


class _Pickler(pickle.Pickler):
    def __init__(self, file, settings):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._settings = settings

    def persistent_id(self, obj):
        return SETTINGS_ID if obj is self._settings else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, settings):
        super().__init__(file)
        self._settings = settings

    def persistent_load(self, pid):
        if pid == SETTINGS_ID:
            return self._settings
        raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")


def dumps(value, settings) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, settings).dump(value)
    return buffer.getvalue()


def loads(data: bytes, settings):
    return _Unpickler(io.BytesIO(data), settings).load()


def _picklable(value) -> bool:
    try:
        pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return False
    return True


def portable_error(error: BaseException):
    """A picklable description of ``error`` that ``rebuild_error`` turns back into an
    exception of the same type with the same message."""
    try:
        copy = pickle.loads(pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL))
        if type(copy) is type(error) and str(copy) == str(error):
            return ("pickled", error)
    except Exception:
        pass
    state = {key: value for key, value in vars(error).items() if _picklable(value)}
    args = error.args if _picklable(error.args) else tuple(map(str, error.args))
    if _picklable(type(error)):
        return ("state", type(error), args, state)
    return ("text", type(error).__name__, str(error))


def rebuild_error(description) -> BaseException:
    kind = description[0]
    if kind == "pickled":
        return description[1]
    if kind == "state":
        _, cls, args, state = description
        error = cls.__new__(cls)
        error.args = args
        error.__dict__.update(state)
        return error
    _, name, message = description
    return RuntimeError(f"{name}: {message}")


def portable_record(record: logging.LogRecord) -> logging.LogRecord:
    if record.exc_info:
        if not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
    if not _picklable(record.msg) or not _picklable(record.args):
        record.msg, record.args = record.getMessage(), None
    for key, value in list(vars(record).items()):
        if not _picklable(value):
            setattr(record, key, str(value))
    return record


class Capture:
    """Collects every log record instead of handling it (used while reading a file
    whose records are replayed later, in another process or another rebuild)."""

    def __init__(self):
        self.records = []
        self._saved = None

    def _handle(self, logger, record):  # stands in for logging.Logger.handle
        self.records.append(record)

    def __enter__(self):
        self.records = []
        capture = self
        self._saved = logging.Logger.handle, FatalLogger.fatal_lvl
        logging.Logger.handle = lambda logger, record: capture._handle(logger, record)
        # ``--fatal`` is applied when the record is replayed (``replay``), where
        # Pelican's duplicate filter decides whether the record counts at all.
        FatalLogger.fatal_lvl = NEVER
        return self

    def __exit__(self, *exc):
        logging.Logger.handle, FatalLogger.fatal_lvl = self._saved
        return False


def call_payload(function, argument, settings) -> bytes | None:
    """Call ``function(argument)`` while capturing its log records; return the payload,
    or None when the result cannot be pickled (the caller then calls it directly)."""
    with Capture() as capture:
        try:
            outcome = ("ok", function(argument))
        except Exception as error:
            remember_template_line(error)  # its traceback does not travel
            outcome = ("error", portable_error(error))
    records = [portable_record(record) for record in capture.records]
    try:
        return dumps((outcome, records), settings)
    except Exception:
        return None


def replay(payload: bytes, settings):
    """Emit the payload's log records here, then return its result or raise its error."""
    (kind, value), records = loads(payload, settings)
    for record in records:
        # As FatalLogger._log does: a filtered duplicate is dropped, a record at the
        # --fatal level stops the work that logged it.
        try:
            logging.getLogger(record.name).handle(record)
        except FilteredMessage:
            continue
        if record.levelno >= FatalLogger.fatal_lvl and record.levelno != logging.CRITICAL:
            raise RuntimeError("Warning or error encountered")
    if kind == "error":
        raise rebuild_error(value)
    return value
