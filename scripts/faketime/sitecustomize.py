"""Loaded by every Python process that scripts/test-dates starts (it is on PYTHONPATH).

libfaketime 0.9.10 cannot run Python 3.11+ as it is: with the monotonic clock faked,
every wait with a time-out in a thread (threading.Event.wait, Queue.get) goes to the kernel
with a faked deadline and never ends; with it left real (FAKETIME_DONT_FAKE_MONOTONIC=1),
time.sleep's absolute clock_nanosleep gets a negative deadline and fails with EINVAL
(libfaketime issue 426). So the dates run leaves the monotonic clock real and sleeps with
select(), which takes a relative time-out. Only the wall clock is faked.
"""

import select
import time


def _sleep(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    select.select([], [], [], seconds)


time.sleep = _sleep
