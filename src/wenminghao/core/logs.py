"""Log lines as one JSON object each (``WMH_LOG_FORMAT=json``), for a log collector: time, level, logger,
message, and whatever a call adds with ``extra={...}`` (an upload's user, work, file name, size, reason)."""

import datetime
import json
import logging

# The attributes every LogRecord has: what is left over came from ``extra``.
_RECORD_FIELDS = set(vars(logging.LogRecord("", logging.INFO, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and key not in line:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
