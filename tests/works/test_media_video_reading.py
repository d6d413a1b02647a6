"""works.media.inspect_video reads the headers, every packet's timestamps once, and decodes only the first
keyframe: the playing time still comes from the packets, never from a duration the header declares."""

import io
import struct
from decimal import Decimal
from fractions import Fraction

import av
import pytest
from PIL import Image

from tests.works.media_fixtures import _write_silence, video
from wenminghao.works import attachment1
from wenminghao.works.media import inspect_video


@pytest.fixture
def check(tmp_path):
    def _check(data: bytes, name: str = "宣传片.mp4"):
        path = tmp_path / name
        path.write_bytes(data)
        return inspect_video(path, name)

    return _check


def with_declared_duration(data: bytes, seconds: int) -> bytes:
    """An MP4 whose movie, track and media headers (mvhd, tkhd, mdhd) all declare ``seconds``, whatever the
    packets hold."""
    patched = bytearray(data)
    movie_scale = None
    for box in (b"mvhd", b"tkhd", b"mdhd"):
        at = patched.find(box)
        while at >= 0:
            assert patched[at + 4] == 0, "version 0 boxes only"
            if box == b"tkhd":
                field, scale = at + 24, movie_scale
            else:
                scale = struct.unpack(">I", patched[at + 16:at + 20])[0]
                field = at + 20
                if box == b"mvhd":
                    movie_scale = scale
            patched[field:field + 4] = struct.pack(">I", seconds * scale)
            at = patched.find(box, at + 1)
    return bytes(patched)


def test_a_header_declaring_a_shorter_time_is_not_believed(check):
    data = with_declared_duration(video("31"), 10)
    with av.open(io.BytesIO(data)) as container:  # the headers really say 10 s
        assert container.duration == 10_000_000
    facts = check(data)
    assert facts.duration == Decimal("31.000")
    assert [v.code for v in attachment1.check_video(facts)] == ["video.too_long"]


def b_frame_video(seconds: int, audio_seconds: int) -> bytes:
    """MPEG-4 with B-frames (so the picture's first timestamp is not its first decoded packet's) and AAC sound,
    whose encoder stamps its priming samples before 0."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=10, options={"bf": "2"})
        stream.width, stream.height = 64, 48
        stream.pix_fmt = "yuv420p"
        audio = container.add_stream("aac", rate=48000)
        audio.layout = "mono"
        for index in range(seconds * 10):
            frame = av.VideoFrame.from_image(Image.new("RGB", (64, 48), ((index * 7) % 256, 80, 160)))
            frame.pts, frame.time_base = index, Fraction(1, 10)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
        _write_silence(container, audio, audio_seconds)
    return buffer.getvalue()


def test_sound_priming_before_zero_does_not_count(check):
    data = b_frame_video(10, 12)
    with av.open(io.BytesIO(data)) as container:
        first_sound = next(p for p in container.demux(container.streams.audio[0]) if p.pts is not None)
        assert first_sound.pts < 0  # the encoder's priming is there
    assert check(data).duration == Decimal("12.000")


def test_sound_past_the_limit_makes_a_video_too_long(check):
    facts = check(b_frame_video(29, 31))
    assert facts.duration == Decimal("31.000")
    assert [v.code for v in attachment1.check_video(facts)] == ["video.too_long"]


def test_a_video_whose_first_picture_cannot_be_decoded_is_unreadable(check):
    """The packets are there (their timestamps add up), but the first keyframe is garbage."""
    data = bytearray(video("3"))
    with av.open(io.BytesIO(bytes(data))) as container:
        first = next(container.demux(container.streams.video[0]))
        at, size = first.pos, first.size
    data[at:at + size] = bytes(size)
    facts = check(bytes(data))
    assert (facts.container, facts.has_video) == ("mp4", False)
    assert [v.code for v in attachment1.check_video(facts)] == ["video.unreadable"]


def test_size_comes_from_the_headers_before_decoding(check, settings):
    settings.WMH_MAX_IMAGE_PIXELS = 640 * 360 - 1
    facts = check(video("1", size=(640, 360)))
    assert (facts.width, facts.height, facts.has_video) == (640, 360, False)
