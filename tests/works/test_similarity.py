"""The perceptual hash and the lookup of files repeating a file of another work (works/similarity.py)."""

import io
import itertools
import random

import pytest
from django.db import connection
from PIL import Image, ImageDraw, ImageFilter

from tests import factories
from wenminghao.works import similarity
from wenminghao.works.enums import Category, DisplayForm, FileRole
from wenminghao.works.models import SimilarFile, Work, WorkFile


def scene(seed: int, size=(2400, 1800)) -> Image.Image:
    """A photograph-like picture: overlapping shapes, softened, with sensor-like noise; each seed another one."""
    rnd = random.Random(seed)
    image = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    width, height = size
    for _ in range(25):
        x0, y0 = rnd.randrange(width), rnd.randrange(height)
        box = [x0, y0, x0 + rnd.randrange(width // 8, width // 2), y0 + rnd.randrange(height // 8, height // 2)]
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)(box, fill=tuple(rnd.randrange(256) for _ in "rgb"))
    image = image.filter(ImageFilter.GaussianBlur(3))
    return Image.blend(image, Image.effect_noise(size, 20).convert("RGB"), 0.1)


def reencoded(image: Image.Image, quality: int, size=None) -> Image.Image:
    buffer = io.BytesIO()
    (image.resize(size, Image.Resampling.BICUBIC) if size else image).save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def test_perceptual_hash_is_sixteen_hex_digits():
    value = similarity.perceptual_hash(scene(1, (800, 600)))
    assert len(value) == 16
    int(value, 16)


def test_perceptual_hash_survives_reencoding_and_resizing():
    original = reencoded(scene(1), 92)
    reference = similarity.perceptual_hash(original)
    for quality, size in [(60, None), (40, None), (85, (1600, 1200)), (75, (800, 600)), (70, (400, 300))]:
        copy = reencoded(original, quality, size)
        assert similarity.distance(reference, similarity.perceptual_hash(copy)) <= similarity.MAX_DISTANCE


def test_perceptual_hash_tells_unrelated_pictures_apart():
    hashes = [similarity.perceptual_hash(reencoded(scene(seed, (800, 600)), 85)) for seed in range(2, 14)]
    distances = [similarity.distance(a, b) for a, b in itertools.combinations(hashes, 2)]
    assert min(distances) > 10


def test_perceptual_hash_is_independent_of_the_mode():
    picture = scene(3, (800, 600))
    colour = similarity.perceptual_hash(picture)
    assert similarity.distance(colour, similarity.perceptual_hash(picture.convert("L"))) <= 1
    assert similarity.distance(colour, similarity.perceptual_hash(picture.convert("RGBA"))) <= 1


def test_perceptual_hash_none_for_a_blank_picture():
    assert similarity.perceptual_hash(Image.new("RGB", (1600, 1200), (0, 0, 0))) is None
    assert similarity.perceptual_hash(Image.new("RGB", (1600, 1200), (250, 250, 250))) is None


def test_band_fields_cut_the_hash_in_four():
    fields = similarity.band_fields("0123456789abcdef")
    assert fields == {"perceptual_hash": "0123456789abcdef", "hash_band_0": "0123", "hash_band_1": "4567",
                      "hash_band_2": "89ab", "hash_band_3": "cdef"}
    assert similarity.band_fields(None) == {"perceptual_hash": "", "hash_band_0": "", "hash_band_1": "",
                                            "hash_band_2": "", "hash_band_3": ""}


def test_bands_two_hashes_within_max_distance_always_share_a_band():
    rnd = random.Random(7)
    for _ in range(2000):
        first = rnd.getrandbits(64)
        second = first
        for bit in rnd.sample(range(64), rnd.randint(0, similarity.MAX_DISTANCE)):
            second ^= 1 << bit
        a, b = f"{first:016x}", f"{second:016x}"
        assert similarity.distance(a, b) <= similarity.MAX_DISTANCE
        assert any(x == y for x, y in zip(similarity.bands(a), similarity.bands(b), strict=True))


# --- the lookup ---------------------------------------------------------------------------------------------

@pytest.fixture
def works(tree, users):
    campaign = factories.campaign(office=tree["city"])

    def _work(collective):
        return Work.objects.create(
            campaign=campaign, collective=collective, category=Category.PHOTO, display_form=DisplayForm.PICTURE,
            title="改革开放四十年", contact_name="张联系", contact_phone="13800000000", created_by=users["city_admin"],
        )

    return [_work(tree["collective_a"]), _work(tree["collective_b"]), _work(tree["collective_a"])]


def hashed_file(work, hex_hash, sha256=None):
    """A WorkFile row with the given hash (the lookup reads only the database)."""
    return WorkFile.objects.create(
        work=work, role=FileRole.PICTURE, original=f"works/{work.pk}/x.jpg", original_name="x.jpg", size=1,
        sha256=sha256 or f"{random.getrandbits(256):064x}", content_type="image/jpeg",
        uploaded_by=work.created_by, **similarity.band_fields(hex_hash),
    )


def flip(hex_hash: str, *bits: int) -> str:
    value = int(hex_hash, 16)
    for bit in bits:
        value ^= 1 << bit
    return f"{value:016x}"


def test_find_similar_within_three_bits_of_another_work(works):
    base = "f0e1d2c3b4a59687"
    mine = hashed_file(works[0], base)
    # three bits apart, each in another band: still one band equal
    near = hashed_file(works[1], flip(base, 0, 20, 40))
    # four bits apart, one in each band: no band equal — and above the limit anyway
    far = hashed_file(works[1], flip(base, 0, 20, 40, 60))
    # four bits apart, all in one band: three bands equal, so a candidate, but too far
    candidate_too_far = hashed_file(works[1], flip(base, 0, 1, 2, 3))
    found = similarity.find_similar(mine)
    assert set(found) == {near.pk}
    assert found[near.pk].kind == SimilarFile.Kind.PERCEPTUAL
    assert found[near.pk].distance == 3
    candidates = set(similarity.perceptual_candidates(mine).values_list("pk", flat=True))
    assert candidate_too_far.pk in candidates
    assert far.pk not in candidates


def test_find_similar_ignores_files_of_the_same_work(works):
    mine = hashed_file(works[0], "00ff00ff00ff00ff", sha256="a" * 64)
    hashed_file(works[0], "00ff00ff00ff00ff", sha256="a" * 64)
    assert similarity.find_similar(mine) == {}


def test_find_similar_same_bytes_are_identical_even_without_a_hash(works):
    mine = hashed_file(works[0], None, sha256="b" * 64)
    other = hashed_file(works[1], None, sha256="b" * 64)
    found = similarity.find_similar(mine)
    assert found[other.pk].kind == SimilarFile.Kind.IDENTICAL
    assert found[other.pk].distance == 0


def test_perceptual_candidates_use_the_band_indexes(works):
    for index in range(50):
        hashed_file(works[index % 2], f"{random.getrandbits(64):016x}")
    mine = hashed_file(works[0], "0123456789abcdef")
    if connection.vendor == "postgresql":
        # With 53 rows PostgreSQL would rightly read the table; what matters is that a plan on the band
        # indexes exists, so forbid the sequential scan for this transaction and look at the plan.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = similarity.perceptual_candidates(mine).explain()
    assert "SCAN" not in plan  # SQLite: no table (nor whole index) read row by row
    assert "Seq Scan" not in plan  # PostgreSQL: the same
    for index in range(4):
        assert f"works_workfile_hash_band_{index}" in plan


def test_record_similar_both_ways_once(works):
    mine = hashed_file(works[0], "1111222233334444")
    other = hashed_file(works[1], flip("1111222233334444", 5))
    third = hashed_file(works[2], "1111222233334444", sha256=mine.sha256)
    for _ in range(2):
        similarity.record_similar(mine)
        similarity.record_similar(other)
    rows = {(row.file_id, row.other_id): (row.kind, row.distance) for row in SimilarFile.objects.all()}
    assert rows == {
        (mine.pk, other.pk): ("perceptual", 1), (other.pk, mine.pk): ("perceptual", 1),
        (mine.pk, third.pk): ("identical", 0), (third.pk, mine.pk): ("identical", 0),
        (other.pk, third.pk): ("perceptual", 1), (third.pk, other.pk): ("perceptual", 1),
    }


def test_record_similar_forgets_pairs_that_no_longer_hold(works):
    mine = hashed_file(works[0], "1111222233334444")
    other = hashed_file(works[1], "1111222233334444")
    similarity.record_similar(mine)
    assert SimilarFile.objects.count() == 2
    WorkFile.objects.filter(pk=mine.pk).update(**similarity.band_fields("eeeeddddccccbbbb"))
    mine.refresh_from_db()
    similarity.record_similar(mine)
    assert not SimilarFile.objects.filter(file=other).exists()
    assert SimilarFile.objects.count() == 0
