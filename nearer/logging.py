"""Keep personal data out of logs and error mails.

Request bodies, query strings, cookies and local variables never leave the process in a log
record or error report. Log records keep their message template but not their arguments.
"""

from __future__ import annotations

import logging
from typing import Any

from django.views.debug import SafeExceptionReporterFilter


class ScrubPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None:
            # Keep only the method and the path template, never bodies, cookies or query strings.
            record.request = None
            record.request_summary = f"{getattr(request, 'method', '?')} {getattr(request, 'path', '?')}"
        if record.args and record.name.startswith("nearer"):
            record.msg = f"{record.msg} [arguments withheld]"
            record.args = None
        return True


class NoPersonalDataReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request: Any) -> dict[str, str]:
        if request is None:
            return {}
        return {key: "[withheld]" for key in request.POST}

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return {name: "[withheld]" for name in tb_frame.f_locals}.items()

    def get_safe_request_meta(self, request: Any) -> dict[str, str]:
        return {}

    def get_safe_settings(self) -> dict[str, Any]:
        return {}
