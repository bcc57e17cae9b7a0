"""Streams that behave like pipes and sockets: short reads of at most a few bytes."""

from __future__ import annotations

import io


class Trickle(io.RawIOBase):
    """A raw binary stream over ``data`` whose reads return at most ``piece`` bytes."""

    def __init__(self, data: bytes, piece: int = 7) -> None:
        self.data = io.BytesIO(data)
        self.piece = piece

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self.data.read(min(len(buffer), self.piece))
        buffer[: len(chunk)] = chunk
        return len(chunk)
